import Foundation

// The shapes of Shadeform's REST API (https://api.shadeform.ai/v1), decoded leniently: the
// fields the OpenAPI spec marks optional, and those older examples leave out (`rental_type`),
// are optionals here, so a sparse answer still decodes.

/// One entry of `GET /instances/types`.
public struct InstanceType: Codable, Sendable, Equatable {
    public var cloud: String
    public var shadeInstanceType: String
    public var cloudInstanceType: String
    public var configuration: Configuration
    /// US cents per hour for on-demand rental.
    public var hourlyPrice: Int
    public var deploymentType: String?
    public var availability: [Availability]
    public var bootTime: BootTime?

    public struct Configuration: Codable, Sendable, Equatable {
        public var memoryInGb: Int?
        public var storageInGb: Int?
        public var vcpus: Int?
        public var numGpus: Int
        public var gpuType: String
        public var interconnect: String?
        public var nvlink: Bool?
        public var vramPerGpuInGb: Int
        public var gpuManufacturer: String?
        public var osOptions: [String]?
    }

    public struct Availability: Codable, Sendable, Equatable {
        public var region: String
        public var available: Bool
        public var displayName: String?
        /// `on_demand` or `spot`; absent in older answers, which means on demand.
        public var rentalType: String?
        /// Spot entries carry their own price, a dollar string ("1.50").
        public var hourlyPrice: String?
    }

    public struct BootTime: Codable, Sendable, Equatable {
        public var minBootInSec: Int?
        public var maxBootInSec: Int?
    }
}

public struct InstanceTypesResponse: Codable, Sendable {
    public var instanceTypes: [InstanceType]
}

/// An instance as `GET /instances` and `GET /instances/{id}/info` return it.
public struct Instance: Codable, Sendable, Equatable {
    public var id: String
    public var cloud: String?
    public var region: String?
    public var shadeInstanceType: String?
    public var name: String
    /// `ip` may be empty or null before the instance is active.
    public var ip: String?
    public var sshUser: String?
    public var sshPort: Int?
    public var status: String
    public var statusDetails: String?
    /// A dollar string ("103.4").
    public var costEstimate: String?
    public var hourlyPrice: Int?
    public var tags: [String]?
    public var createdAt: String?
    public var activeAt: String?
    public var deletedAt: String?

    public var costCents: Int? { costEstimate.flatMap(Money.cents(fromDollars:)) }
}

public struct InstancesResponse: Codable, Sendable {
    public var instances: [Instance]
}

public struct IDResponse: Codable, Sendable {
    public var id: String
}

public struct SSHKey: Codable, Sendable {
    public var id: String
    public var name: String?
    public var publicKey: String?
    public var isDefault: Bool?
}

public struct SSHKeysResponse: Codable, Sendable {
    public var sshKeys: [SSHKey]
}

/// The body of `POST /instances/create`.
public struct CreateRequest: Codable, Sendable, Equatable {
    public var cloud: String
    public var region: String
    public var shadeInstanceType: String
    public var shadeCloud: Bool
    public var name: String
    public var os: String?
    public var sshKeyId: String?
    public var rentalType: String?
    public var autoDelete: Threshold
    public var tags: [String]

    /// `auto_delete`: Shadeform deletes the instance past this date or spend, whatever
    /// happens to mybro.
    public struct Threshold: Codable, Sendable, Equatable {
        public var dateThreshold: String?
        public var spendThreshold: String?
    }
}

/// Shadeform's instance statuses.
public enum InstanceStatus {
    public static let creating = "creating"
    public static let pendingProvider = "pending_provider"
    public static let pending = "pending"
    public static let active = "active"
    public static let error = "error"
    public static let deleting = "deleting"
    public static let deleted = "deleted"

    /// Statuses after which the instance no longer bills or runs.
    public static func isGone(_ status: String) -> Bool { status == deleting || status == deleted }
}

extension JSONDecoder {
    static let shadeform: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}

extension JSONEncoder {
    static let shadeform: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
