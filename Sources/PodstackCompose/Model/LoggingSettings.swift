/// `logging:` of a service: one of Podman's log drivers and the options it takes. A service without the
/// key gets Podman's default driver (containers.conf), as before.
public struct LoggingSettings: Sendable, Codable, Hashable {
    /// `k8s-file`, `json-file` (Podman writes it as k8s-file), `journald`, `none`, `passthrough`; nil for
    /// Podman's default.
    public var driver: String?
    /// `max-size` in bytes: Podman truncates the log file at this size.
    public var maxSizeBytes: Int64?
    /// `path`: where the k8s-file log is written.
    public var path: String?
    /// `tag`: journald's SYSLOG_IDENTIFIER.
    public var tag: String?

    public init(driver: String? = nil, maxSizeBytes: Int64? = nil, path: String? = nil, tag: String? = nil) {
        self.driver = driver
        self.maxSizeBytes = maxSizeBytes
        self.path = path
        self.tag = tag
    }

    /// The drivers Podman has; compose's others (syslog, gelf, fluentd, awslogs...) are Docker's plugins.
    public static let drivers: [String] = ["k8s-file", "json-file", "journald", "none", "passthrough"]
}
