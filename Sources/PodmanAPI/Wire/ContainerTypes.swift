import Foundation

/// `GET /libpod/containers/{name}/json` (the fields podstack reads).
public struct ContainerInspect: Codable, Sendable {
    public var Id: String
    public var Name: String
    public var State: ContainerState
    public var Config: Configuration?
    public var Pod: String?
    public var IsInfra: Bool?
    public var ImageName: String?
    public var RestartCount: Int?

    public struct Configuration: Codable, Sendable {
        public var Labels: [String: String]?
        public var Env: [String]?
        /// 4.x: a space-joined string; 5.0: an array. Decoded either way.
        public var Entrypoint: FlexibleStringList?
        public var Cmd: [String]?
    }
}

public struct ContainerState: Codable, Sendable {
    /// created, initialized, running, paused, stopping, stopped, exited, removing, unknown.
    public var Status: String
    public var Running: Bool?
    public var ExitCode: Int?
    public var Error: String?
    public var StartedAt: String?
    public var FinishedAt: String?
    /// The container's conmon, on the host; 0 when it has none (not running).
    public var ConmonPid: Int?
    /// Always present on 4.x (Status "" without a check); absent on 5.x without a check.
    public var Health: HealthReport?
}

/// A health verdict: the aggregate in inspect, or one probe's from `/healthcheck`.
public struct HealthReport: Codable, Sendable {
    /// starting, healthy, unhealthy ("" or absent when the container has no check).
    public var Status: String
    public var FailingStreak: Int?
    public var Log: [Probe]?

    public struct Probe: Codable, Sendable {
        public var Start: String?
        public var End: String?
        public var ExitCode: Int?
        public var Output: String?
    }
}

/// An item of `GET /libpod/containers/json`.
public struct ContainerSummary: Codable, Sendable {
    public var Id: String
    public var Names: [String]?
    public var Image: String?
    public var State: String?
    public var Status: String?
    public var Labels: [String: String]?
    public var Pod: String?
    public var PodName: String?
    public var IsInfra: Bool?
    public var Ports: [PortMappingSpec]?
    public var StartedAt: Int64?
    public var ExitCode: Int?
    public var Exited: Bool?

    public var name: String { Names?.first ?? Id }
}

public struct ContainerCreateResponse: Codable, Sendable {
    public var Id: String
    public var Warnings: [String]?
}

/// A string list that the server sends either as an array or as one space-joined string.
public struct FlexibleStringList: Codable, Sendable, Hashable {
    public var values: [String]

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            values = list
        } else if let joined = try? container.decode(String.self) {
            values = joined.split(separator: " ").map(String.init)
        } else {
            values = []
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

/// One line of a container's log.
public struct LogLine: Sendable, Equatable {
    public enum Stream: Sendable, Equatable { case stdout, stderr }
    public var stream: Stream
    public var text: String
}
