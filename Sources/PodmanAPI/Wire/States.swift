extension Podman {
    /// A container's state as libpod reports it (inspect's `State.Status`, the list's `State`). A value this
    /// version does not know decodes to `.unknown` with its text, so a newer Podman never fails a decode.
    public enum ContainerState: Sendable, Hashable {
        case configured, created, initialized, running, paused, stopping, stopped, exited, removing
        case unknown(String)

        private static let known: [String: ContainerState] = [
            "configured": .configured, "created": .created, "initialized": .initialized, "running": .running,
            "paused": .paused, "stopping": .stopping, "stopped": .stopped, "exited": .exited, "removing": .removing,
        ]

        /// The state Podman's text names.
        public init(_ text: String) { self = Self.known[text] ?? .unknown(text) }

        /// The text Podman sends for it.
        public var text: String {
            switch self {
            case .configured: "configured"
            case .created: "created"
            case .initialized: "initialized"
            case .running: "running"
            case .paused: "paused"
            case .stopping: "stopping"
            case .stopped: "stopped"
            case .exited: "exited"
            case .removing: "removing"
            case .unknown(let text): text
            }
        }

        /// Whether its process has ended (`exited` after running, `stopped` after a stop).
        public var hasEnded: Bool { self == .exited || self == .stopped }
    }

    /// A health verdict: the aggregate in inspect's `State.Health`, or one probe's from `/healthcheck`.
    /// Podman 4.x reports "" for a container without a check (`.noCheck`); 5.x leaves `Health` out instead.
    public enum HealthStatus: Sendable, Hashable {
        case noCheck, starting, healthy, unhealthy
        case unknown(String)

        /// The verdict Podman's text names.
        public init(_ text: String) {
            switch text {
            case "": self = .noCheck
            case "starting": self = .starting
            case "healthy": self = .healthy
            case "unhealthy": self = .unhealthy
            default: self = .unknown(text)
            }
        }

        /// The text Podman sends for it ("" without a check).
        public var text: String {
            switch self {
            case .noCheck: ""
            case .starting: "starting"
            case .healthy: "healthy"
            case .unhealthy: "unhealthy"
            case .unknown(let text): text
            }
        }
    }
}

/// A value that goes over the wire as Podman's text and prints as it, so reports read as they did with strings.
protocol PodmanText: Codable, CustomStringConvertible {
    init(_ text: String)
    var text: String { get }
}

extension PodmanText {
    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var description: String { text }
}

extension Podman.ContainerState: Codable, CustomStringConvertible, PodmanText {}
extension Podman.HealthStatus: Codable, CustomStringConvertible, PodmanText {}
