import Foundation

extension Podman {
    /// `GET /libpod/containers/{name}/json` (the fields podstack reads).
    public struct ContainerInspect: Codable, Sendable {
        public var id: String
        public var name: String
        public var state: State
        public var config: Configuration?
        public var pod: String?
        public var isInfra: Bool?
        public var imageName: String?
        public var restartCount: Int?

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case name = "Name"
            case state = "State"
            case config = "Config"
            case pod = "Pod"
            case isInfra = "IsInfra"
            case imageName = "ImageName"
            case restartCount = "RestartCount"
        }

        public struct Configuration: Codable, Sendable {
            public var labels: [String: String]?
            public var env: [String]?
            /// 4.x: a space-joined string; 5.0: an array. Decoded either way.
            public var entrypoint: FlexibleStringList?
            public var command: [String]?
            /// The container's health check: the create spec's, else the image's HEALTHCHECK.
            public var healthcheck: HealthConfig?

            enum CodingKeys: String, CodingKey {
                case labels = "Labels"
                case env = "Env"
                case entrypoint = "Entrypoint"
                case command = "Cmd"
                case healthcheck = "Healthcheck"
            }
        }

        /// `Config.Healthcheck`, durations in nanoseconds (zero or absent: Podman's defaults).
        public struct HealthConfig: Codable, Sendable {
            public var test: [String]?
            public var intervalNanoseconds: Int64?
            public var timeoutNanoseconds: Int64?
            public var startPeriodNanoseconds: Int64?
            public var retries: Int?

            public init(
                test: [String]?, intervalNanoseconds: Int64? = nil, timeoutNanoseconds: Int64? = nil,
                startPeriodNanoseconds: Int64? = nil, retries: Int? = nil
            ) {
                self.test = test
                self.intervalNanoseconds = intervalNanoseconds
                self.timeoutNanoseconds = timeoutNanoseconds
                self.startPeriodNanoseconds = startPeriodNanoseconds
                self.retries = retries
            }

            enum CodingKeys: String, CodingKey {
                case test = "Test"
                case intervalNanoseconds = "Interval"
                case timeoutNanoseconds = "Timeout"
                case startPeriodNanoseconds = "StartPeriod"
                case retries = "Retries"
            }
        }

        public struct State: Codable, Sendable {
            public var status: ContainerState
            public var running: Bool?
            public var exitCode: Int?
            public var error: String?
            public var startedAt: String?
            public var finishedAt: String?
            /// The container's conmon, on the host; 0 when it has none (not running).
            public var conmonPID: Int?
            /// Always present on 4.x (status `.noCheck` without a check); absent on 5.x without a check.
            public var health: HealthReport?

            enum CodingKeys: String, CodingKey {
                case status = "Status"
                case running = "Running"
                case exitCode = "ExitCode"
                case error = "Error"
                case startedAt = "StartedAt"
                case finishedAt = "FinishedAt"
                case conmonPID = "ConmonPid"
                case health = "Health"
            }
        }
    }

    /// A health verdict: the aggregate in inspect, or one probe's from `/healthcheck`.
    public struct HealthReport: Codable, Sendable {
        public var status: HealthStatus
        public var failingStreak: Int?
        public var log: [Probe]?

        enum CodingKeys: String, CodingKey {
            case status = "Status"
            case failingStreak = "FailingStreak"
            case log = "Log"
        }

        public struct Probe: Codable, Sendable {
            public var start: String?
            public var end: String?
            public var exitCode: Int?
            public var output: String?

            enum CodingKeys: String, CodingKey {
                case start = "Start"
                case end = "End"
                case exitCode = "ExitCode"
                case output = "Output"
            }
        }
    }

    /// An item of `GET /libpod/containers/json`.
    public struct ContainerSummary: Codable, Sendable {
        public var id: String
        public var names: [String]?
        public var image: String?
        /// The ID of the image the container was made from (full, no `sha256:`).
        public var imageID: String?
        public var state: ContainerState?
        /// Podman's sentence about the state ("Up 2 minutes").
        public var status: String?
        public var labels: [String: String]?
        public var pod: String?
        public var podName: String?
        public var isInfra: Bool?
        public var ports: [PortMapping]?
        public var startedAt: Int64?
        public var exitCode: Int?
        public var exited: Bool?

        public var name: String { names?.first ?? id }

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case names = "Names"
            case image = "Image"
            case imageID = "ImageID"
            case state = "State"
            case status = "Status"
            case labels = "Labels"
            case pod = "Pod"
            case podName = "PodName"
            case isInfra = "IsInfra"
            case ports = "Ports"
            case startedAt = "StartedAt"
            case exitCode = "ExitCode"
            case exited = "Exited"
        }
    }

    /// The answer to a container create.
    struct ContainerCreateResponse: Codable, Sendable {
        var id: String
        var warnings: [String]?

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case warnings = "Warnings"
        }
    }

    /// A string list that the server sends either as an array or as one space-joined string.
    public struct FlexibleStringList: Codable, Sendable, Hashable {
        public var values: [String]

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                values = list
            } else if let joined = try? container.decode(String.self) {
                values = joined.split(separator: " ").map(String.init)
            } else {
                values = []
            }
        }

        public func encode(to encoder: any Encoder) throws {
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
}
