/// How a service's process runs: terminal, init, privileges, limits, tmpfs mounts. Each field's default
/// is Podman's own, so a service that sets none of these keys makes the same container as before.
public struct ProcessSettings: Sendable, Codable, Hashable {
    public var tmpfs: [TmpfsMount] = []
    public var tty = false
    public var stdinOpen = false
    public var initProcess = false
    public var capAdd: [String] = []
    public var capDrop: [String] = []
    /// SELinux options from `security_opt: [label=...]`, such as `disable` or `type:container_runtime_t`.
    public var selinuxOptions: [String] = []
    public var noNewPrivileges = false
    /// `security_opt: [seccomp=unconfined]`.
    public var seccompUnconfined = false
    /// `security_opt: [seccomp=FILE]`: the profile's absolute path (written relative to the compose file).
    public var seccompProfile: String?
    /// `security_opt: [apparmor=PROFILE]`, such as `unconfined`.
    public var apparmorProfile: String?
    public var ulimits: [Ulimit] = []
    public var privileged = false
    public var readOnly = false
    public var groupAdd: [String] = []
    /// The pod's /dev/shm size this service asks for (the pod's containers share it: `PodDefinition`).
    public var shmSizeBytes: Int64?
    public var sysctls: [String: String] = [:]

    public init() {}
}

/// A `tmpfs:` entry: where, and the mount options written after the colon (`size=64m,mode=1777`).
public struct TmpfsMount: Sendable, Codable, Hashable {
    public var target: String
    public var options: [String]

    public init(target: String, options: [String] = []) {
        self.target = target
        self.options = options
    }
}

/// A `ulimits:` entry, by compose name (`nofile`, `nproc`).
public struct Ulimit: Sendable, Codable, Hashable {
    public var name: String
    public var soft: Int64
    public var hard: Int64

    public init(name: String, soft: Int64, hard: Int64) {
        self.name = name
        self.soft = soft
        self.hard = hard
    }
}

extension PodDefinition {
    /// The /dev/shm size of the pod, which its services share through the IPC namespace; the reader has
    /// refused services that ask for different sizes.
    public var shmSizeBytes: Int64? { services.compactMap(\.process.shmSizeBytes).first }
}
