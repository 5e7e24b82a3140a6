/// A health check with every timing explicit. Podman applies no defaults to a check supplied through its
/// API (a zero interval means "never run"), so the compose defaults are filled in here.
public struct HealthCheck: Sendable, Codable, Hashable {
    public static let defaultIntervalSeconds = 30.0
    public static let defaultTimeoutSeconds = 30.0
    public static let defaultRetries = 3
    public static let defaultStartPeriodSeconds = 0.0

    /// `["CMD", executable, args...]` or `["CMD-SHELL", script]`.
    public var test: [String]
    public var intervalSeconds: Double
    public var timeoutSeconds: Double
    public var startPeriodSeconds: Double
    public var retries: Int
    /// `start_interval`: how often to probe during start_period (nil: the waiter's own schedule).
    public var startIntervalSeconds: Double?

    public init(
        test: [String], intervalSeconds: Double = HealthCheck.defaultIntervalSeconds,
        timeoutSeconds: Double = HealthCheck.defaultTimeoutSeconds,
        startPeriodSeconds: Double = HealthCheck.defaultStartPeriodSeconds, retries: Int = HealthCheck.defaultRetries
    ) {
        self.test = test
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.startPeriodSeconds = startPeriodSeconds
        self.retries = retries
    }
}
