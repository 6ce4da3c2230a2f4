/// What the user allows: a budget, a deadline, and the link that carries the data to a rented machine.
public struct RouteConstraints: Sendable, Equatable {
    public var budgetDollars: Double?
    public var deadlineSeconds: Double?
    /// Upload speed to a rented machine, megabits per second.
    public var uplinkMbps: Double

    public static let defaultUplinkMbps = 100.0

    public init(budgetDollars: Double? = nil, deadlineSeconds: Double? = nil, uplinkMbps: Double = defaultUplinkMbps) {
        self.budgetDollars = budgetDollars
        self.deadlineSeconds = deadlineSeconds
        self.uplinkMbps = uplinkMbps
    }
}
