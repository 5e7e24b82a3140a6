extension Podman.ContainerCreateSpec {
    /// `resource_limits`: the OCI runtime spec's LinuxResources, of which podstack sets memory, CPU and pids.
    /// Rootless Podman on cgroups v1 cannot apply any of them and leaves them out of the container
    /// (ComposeRuntimeKeysIntegrationTests.resourceLimits sees what each bed kept).
    public struct ResourceLimits: Codable, Sendable, Hashable {
        public var memory: Memory?
        public var cpu: CPU?
        public var pids: Pids?

        public init(memory: Memory? = nil, cpu: CPU? = nil, pids: Pids? = nil) {
            self.memory = memory
            self.cpu = cpu
            self.pids = pids
        }

        /// Bytes; `swap` is memory and swap together, -1 for unlimited.
        public struct Memory: Codable, Sendable, Hashable {
            public var limit: Int64?
            public var reservation: Int64?
            public var swap: Int64?

            public init(limit: Int64? = nil, reservation: Int64? = nil, swap: Int64? = nil) {
                self.limit = limit
                self.reservation = reservation
                self.swap = swap
            }
        }

        /// `quota` per `period` (microseconds) is Podman's `--cpus`; `cpus` is the cpuset (`0-3`).
        public struct CPU: Codable, Sendable, Hashable {
            public var shares: UInt64?
            public var quota: Int64?
            public var period: UInt64?
            public var cpus: String?

            public init(shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil, cpus: String? = nil) {
                self.shares = shares
                self.quota = quota
                self.period = period
                self.cpus = cpus
            }
        }

        public struct Pids: Codable, Sendable, Hashable {
            public var limit: Int64

            public init(limit: Int64) { self.limit = limit }
        }
    }
}

extension Podman.ContainerCreateSpec {
    /// `log_configuration`: the log driver, the k8s-file's path and its size limit in bytes, and options
    /// such as journald's `tag`.
    public struct LogConfiguration: Codable, Sendable, Hashable {
        public var driver: String?
        public var path: String?
        public var size: Int64?
        public var options: [String: String]?

        public init(driver: String?, path: String? = nil, size: Int64? = nil, options: [String: String]? = nil) {
            self.driver = driver
            self.path = path
            self.size = size
            self.options = options
        }
    }
}
