/// A container's status as Podman names it. `other` keeps a word this release does not know, so that a new
/// Podman status is carried, not mistaken for one of these. (Core's own until PodmanAPI's wire types carry
/// their state enums.)
enum ContainerStatus: Equatable, Sendable {
    case created, running, paused, stopping, stopped, exited, removing
    case other(String)

    init(_ text: String?) {
        switch text {
        case "created": self = .created
        case "running": self = .running
        case "paused": self = .paused
        case "stopping": self = .stopping
        case "stopped": self = .stopped
        case "exited": self = .exited
        case "removing": self = .removing
        default: self = .other(text ?? "")
        }
    }

    /// Its process has ended: Podman says "exited", or "stopped" for a container stopped by request.
    var hasEnded: Bool {
        switch self {
        case .exited, .stopped: true
        case .created, .running, .paused, .stopping, .removing, .other: false
        }
    }
}

/// A health check's verdict as Podman names it; `other` as for `ContainerStatus`.
enum HealthStatus: Equatable, Sendable {
    case starting, healthy, unhealthy
    case other(String)

    init(_ text: String?) {
        switch text {
        case "starting": self = .starting
        case "healthy": self = .healthy
        case "unhealthy": self = .unhealthy
        default: self = .other(text ?? "")
        }
    }

    /// The word `ps` and `up`'s report show.
    var text: String {
        switch self {
        case .starting: "starting"
        case .healthy: "healthy"
        case .unhealthy: "unhealthy"
        case .other(let text): text
        }
    }
}
