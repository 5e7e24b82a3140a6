import Foundation

/// Where a service is in `up` or `down`; the CLI prints one line per change.
public enum ServicePhase: String, Sendable, Codable {
    case pending, waitingForDependencies = "waiting-for-dependencies", creating, starting
    case waitingForHealthy = "waiting-for-healthy", waitingForCompletion = "waiting-for-completion"
    case ready, completed, failed, skipped, kept, removed, stopping, stopped
}

/// Progress as it happens.
public enum StackEvent: Sendable {
    case step(String)
    case pull(image: String, progress: String)
    /// A line of an image build's output.
    case build(image: String, line: String)
    case service(pod: String, service: String, phase: ServicePhase, detail: String?)
    case warning(String)
}

public typealias StackEventSink = @Sendable (StackEvent) -> Void

/// How one service ended up after `up`.
public struct ServiceOutcome: Sendable, Codable {
    public var pod: String
    public var service: String
    public var container: String
    public var phase: ServicePhase
    public var action: String
    public var health: String?
    public var ports: [String]
    /// When podstack asked Podman to start it, and when it met its readiness condition.
    public var startRequestedAt: Date?
    public var readyAt: Date?
    public var secondsToReady: Double?
    public var failure: String?
    public var logTail: [String]
    /// The container `logTail` comes from: this service's, or the dependency that caused the failure.
    public var logSource: String?
}

/// The result of `up`: one outcome per service; `ok` only when every service is ready.
public struct StackRunReport: Sendable, Codable {
    public var services: [ServiceOutcome]
    public var ok: Bool { services.allSatisfy { $0.phase == .ready || $0.phase == .completed } }

    private enum CodingKeys: String, CodingKey { case ok, services }

    public init(services: [ServiceOutcome]) { self.services = services }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ok, forKey: .ok)
        try container.encode(services, forKey: .services)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        services = try container.decode([ServiceOutcome].self, forKey: .services)
    }
}
