/// Where a workload sits on this machine's roofline, and whether it is worth renting for.
///
/// Bound: arithmetic intensity (flop per byte moved) below the ridge point (sgemm GFLOP/s ÷ triad
/// GB/s from the profile) is memory-bound, at or above it compute-bound.
/// Size: small when the whole job takes under a minute (`smallSeconds`) here, or, without a local
/// estimate, on the fastest cloud GPU: no rented machine boots that fast, so renting cannot win.
public struct Classification: Sendable, Equatable {
    public enum Bound: String, Sendable { case memory = "memory-bound", compute = "compute-bound", unknown }
    public enum Size: String, Sendable { case small, large }

    public var bound: Bound
    public var size: Size
    public var intensity: Double
    public var ridgePoint: Double?

    public static let smallSeconds = 60.0

    public init(intensity: Double, ridgePoint: Double?, seconds: Double?) {
        self.intensity = intensity
        self.ridgePoint = ridgePoint
        if let ridgePoint {
            bound = intensity < ridgePoint ? .memory : .compute
        } else {
            bound = .unknown
        }
        size = (seconds ?? .infinity) < Self.smallSeconds ? .small : .large
    }

    /// `memory-bound, small`; `large (no profile: bound unknown)`.
    public var text: String {
        bound == .unknown
            ? "\(size.rawValue) (no ridge point in the profile: bound unknown)" : "\(bound.rawValue), \(size.rawValue)"
    }
}
