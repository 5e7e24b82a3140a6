import Foundation

/// `POST /libpod/containers/create` body (SpecGenerator, the fields podstack sets). JSON names are the
/// server's; several (`Name`, `Dest`, `Source`, `Test`...) are Go field names without JSON tags.
public struct ContainerCreateSpec: Codable, Sendable {
    public var name: String
    public var pod: String?
    public var image: String
    public var command: [String]?
    public var entrypoint: [String]?
    public var env: [String: String]?
    public var labels: [String: String]?
    public var mounts: [Mount]?
    public var volumes: [NamedVolume]?
    public var secrets: [Secret]?
    public var secret_env: [String: String]?
    public var healthconfig: HealthConfig?
    public var restart_policy: String?
    public var restart_tries: Int?
    /// A signal number: the spec field is a Go `syscall.Signal`.
    public var stop_signal: Int?
    /// Seconds.
    public var stop_timeout: Int?
    public var user: String?
    public var work_dir: String?
    public var create_working_dir: Bool?

    public init(name: String, image: String) {
        self.name = name
        self.image = image
    }

    /// An OCI mount (bind, tmpfs).
    public struct Mount: Codable, Sendable, Hashable {
        public var destination: String
        public var type: String
        public var source: String
        public var options: [String]

        public init(destination: String, type: String = "bind", source: String, options: [String]) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
        }
    }

    /// A named volume; created by Podman at container create when missing.
    public struct NamedVolume: Codable, Sendable, Hashable {
        public var Name: String
        public var Dest: String
        public var Options: [String]

        public init(name: String, destination: String, options: [String] = []) {
            Name = name
            Dest = destination
            Options = options
        }
    }

    /// A secret mounted as a file.
    public struct Secret: Codable, Sendable, Hashable {
        public var Source: String
        public var Target: String?
        public var UID: Int?
        public var GID: Int?
        public var Mode: Int?

        public init(source: String, target: String?, uid: Int? = nil, gid: Int? = nil, mode: Int? = nil) {
            Source = source
            Target = target
            UID = uid
            GID = gid
            Mode = mode
        }
    }

    /// Durations are Go `time.Duration`: int64 nanoseconds. Podman applies no defaults to a check given
    /// through the API (an omitted Timeout fails every probe on 4.3), so every field must be set.
    public struct HealthConfig: Codable, Sendable, Hashable {
        public var Test: [String]
        public var Interval: Int64
        public var Timeout: Int64
        public var Retries: Int
        public var StartPeriod: Int64

        public init(test: [String], interval: Duration, timeout: Duration, retries: Int, startPeriod: Duration) {
            Test = test
            Interval = Self.nanoseconds(interval)
            Timeout = Self.nanoseconds(timeout)
            Retries = retries
            StartPeriod = Self.nanoseconds(startPeriod)
        }

        static func nanoseconds(_ duration: Duration) -> Int64 {
            let (seconds, attoseconds) = duration.components
            return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        }
    }
}
