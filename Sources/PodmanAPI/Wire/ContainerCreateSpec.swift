import Foundation

extension Podman {
    /// `POST /libpod/containers/create` body (SpecGenerator, the fields podstack sets). The JSON names are the
    /// server's: snake case for most, Go field names without JSON tags for a few (`Name`, `Dest`, `Test`...).
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
        /// Environment variable name → secret name.
        public var secretEnv: [String: String]?
        public var healthConfig: HealthConfig?
        public var restartPolicy: String?
        public var restartTries: Int?
        /// A signal number: the spec field is a Go `syscall.Signal`.
        public var stopSignal: Int?
        /// Seconds.
        public var stopTimeout: Int?
        public var user: String?
        public var workDir: String?
        public var createWorkingDir: Bool?
        public var terminal: Bool?
        public var stdin: Bool?
        public var initProcess: Bool?
        public var privileged: Bool?
        public var readOnlyFilesystem: Bool?
        public var capAdd: [String]?
        public var capDrop: [String]?
        public var selinuxOptions: [String]?
        public var noNewPrivileges: Bool?
        /// A profile's path, or `unconfined`.
        public var seccompProfilePath: String?
        /// An AppArmor profile loaded on the host, or `unconfined`.
        public var apparmorProfile: String?
        public var rlimits: [Rlimit]?
        /// Supplementary groups.
        public var groups: [String]?
        public var sysctl: [String: String]?
        /// Podman's inspect reports `label=` and `seccomp=` options from these annotations, as its CLI sets them.
        public var annotations: [String: String]?
        /// Devices: a CDI name (`nvidia.com/gpu=0`), resolved by Podman at start, or `HOST[:CONTAINER[:PERMS]]`.
        public var devices: [Device]?
        /// Only in a pod that shares no UTS namespace; otherwise the pod's hostname is the container's.
        public var hostname: String?
        /// The container's own choice of PID, IPC and UTS namespace, over what its pod shares.
        public var pidns: Namespace?
        public var ipcns: Namespace?
        public var utsns: Namespace?
        /// Memory, CPU and pids limits (ContainerCreateSpec+Runtime.swift).
        public var resourceLimits: ResourceLimits?
        public var logConfiguration: LogConfiguration?
        /// Only for a container with a network namespace of its own (a pod that shares none): `bridge` with
        /// `networks`, `host`, `none`, or `container` of another. Nil joins the pod's namespace.
        public var netns: Namespace?
        /// The Podman networks the container joins, by name, with its aliases and fixed addresses on each.
        public var networks: [String: PerNetworkOptions]?
        /// With its own namespace, the container publishes its own ports and keeps its own hosts and DNS.
        public var portMappings: [PortMapping]?
        public var hostAdd: [String]?
        public var dnsServer: [String]?
        public var dnsSearch: [String]?
        public var dnsOption: [String]?

        public init(name: String, image: String) {
            self.name = name
            self.image = image
        }

        enum CodingKeys: String, CodingKey {
            case name, pod, image, command, entrypoint, env, labels, mounts, volumes, secrets, user
            case hostname, pidns, ipcns, utsns
            case secretEnv = "secret_env"
            case healthConfig = "healthconfig"
            case restartPolicy = "restart_policy"
            case restartTries = "restart_tries"
            case stopSignal = "stop_signal"
            case stopTimeout = "stop_timeout"
            case workDir = "work_dir"
            case createWorkingDir = "create_working_dir"
            case terminal, stdin, privileged, groups, sysctl, annotations, devices
            case initProcess = "init"
            case readOnlyFilesystem = "read_only_filesystem"
            case capAdd = "cap_add"
            case capDrop = "cap_drop"
            case selinuxOptions = "selinux_opts"
            case noNewPrivileges = "no_new_privileges"
            case seccompProfilePath = "seccomp_profile_path"
            case apparmorProfile = "apparmor_profile"
            case rlimits = "r_limits"
            case resourceLimits = "resource_limits"
            case logConfiguration = "log_configuration"
            case netns
            // The one field of the network part of libpod's SpecGenerator without a lowercase JSON tag.
            case networks = "Networks"
            case portMappings = "portmappings"
            case hostAdd = "hostadd"
            case dnsServer = "dns_server"
            case dnsSearch = "dns_search"
            case dnsOption = "dns_option"
        }

        /// libpod's PerNetworkOptions: what a container is on one network.
        public struct PerNetworkOptions: Codable, Sendable, Hashable {
            public var aliases: [String]?
            public var staticIPs: [String]?

            public init(aliases: [String]? = nil, staticIPs: [String]? = nil) {
                self.aliases = aliases
                self.staticIPs = staticIPs
            }

            enum CodingKeys: String, CodingKey {
                case aliases
                case staticIPs = "static_ips"
            }
        }

        /// One entry of `devices`: libpod's LinuxDevice, of which create reads only the path.
        public struct Device: Codable, Sendable, Hashable {
            public var path: String

            public init(path: String) { self.path = path }
        }

        /// A POSIX rlimit: `type` is the short name (`nofile`); Podman writes `RLIMIT_` before it.
        public struct Rlimit: Codable, Sendable, Hashable {
            public var type: String
            public var hard: Int64
            public var soft: Int64

            public init(type: String, hard: Int64, soft: Int64) {
                self.type = type
                self.hard = hard
                self.soft = soft
            }
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
            public var name: String
            public var destination: String
            public var options: [String]

            public init(name: String, destination: String, options: [String] = []) {
                self.name = name
                self.destination = destination
                self.options = options
            }

            enum CodingKeys: String, CodingKey {
                case name = "Name"
                case destination = "Dest"
                case options = "Options"
            }
        }

        /// A secret mounted as a file.
        public struct Secret: Codable, Sendable, Hashable {
            public var source: String
            public var target: String?
            public var uid: Int?
            public var gid: Int?
            public var mode: Int?

            public init(source: String, target: String?, uid: Int? = nil, gid: Int? = nil, mode: Int? = nil) {
                self.source = source
                self.target = target
                self.uid = uid
                self.gid = gid
                self.mode = mode
            }

            enum CodingKeys: String, CodingKey {
                case source = "Source"
                case target = "Target"
                case uid = "UID"
                case gid = "GID"
                case mode = "Mode"
            }
        }

        /// Durations are Go `time.Duration`: int64 nanoseconds. Podman applies no defaults to a check given
        /// through the API (an omitted Timeout fails every probe on 4.3), so every field must be set.
        public struct HealthConfig: Codable, Sendable, Hashable {
            public var test: [String]
            public var interval: Int64
            public var timeout: Int64
            public var retries: Int
            public var startPeriod: Int64

            public init(test: [String], interval: Duration, timeout: Duration, retries: Int, startPeriod: Duration) {
                self.test = test
                self.interval = Self.nanoseconds(interval)
                self.timeout = Self.nanoseconds(timeout)
                self.retries = retries
                self.startPeriod = Self.nanoseconds(startPeriod)
            }

            enum CodingKeys: String, CodingKey {
                case test = "Test"
                case interval = "Interval"
                case timeout = "Timeout"
                case retries = "Retries"
                case startPeriod = "StartPeriod"
            }

            static func nanoseconds(_ duration: Duration) -> Int64 {
                let (seconds, attoseconds) = duration.components
                return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            }
        }
    }
}
