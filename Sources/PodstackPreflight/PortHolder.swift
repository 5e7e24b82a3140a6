import PodstackHost

/// How sure preflight is about who holds a port.
public enum HolderCertainty: String, Sendable, Hashable, Codable {
    /// The socket's inode was found among the process's open files (or Podman said which container).
    case certain
    /// Only the socket's owner uid was visible (another user's /proc/PID/fd is closed); the unit is a
    /// guess from the running units that have processes of that uid and match the port or service.
    case likely
}

/// Who holds a port, as precisely as the user's privileges allow.
public struct PortHolder: Sendable, Hashable, Codable {
    public var pid: Int?
    /// /proc/PID/comm (`ollama`).
    public var processName: String?
    /// The executable from the command line (`/usr/bin/ollama`).
    public var executable: String?
    public var uid: Int?
    /// The uid's name from `<root>/etc/passwd`.
    public var userName: String?
    public var kind: HolderKind
    public var certainty: HolderCertainty
    /// For a likely holder, the units that may be it, best first.
    public var candidates: [String]
    /// The container and pod, when Podman's list of published ports names them.
    public var containerName: String?
    public var podName: String?
    /// Set when the holder is an enabled unit that is not running now but starts at boot: a warning
    /// turned into a conflict by `strict`.
    public var startsAtBoot: Bool

    public init(
        pid: Int? = nil, processName: String? = nil, executable: String? = nil, uid: Int? = nil,
        userName: String? = nil, kind: HolderKind, certainty: HolderCertainty, candidates: [String] = [],
        containerName: String? = nil, podName: String? = nil, startsAtBoot: Bool = false
    ) {
        self.pid = pid
        self.processName = processName
        self.executable = executable
        self.uid = uid
        self.userName = userName
        self.kind = kind
        self.certainty = certainty
        self.candidates = candidates
        self.containerName = containerName
        self.podName = podName
        self.startsAtBoot = startsAtBoot
    }

    /// A holder about whom nothing could be learnt: the bind failed but no socket table showed why
    /// (the socket closed between the two looks, or the table was unreadable).
    public static let unidentified = PortHolder(kind: .unknown, certainty: .likely)

    /// Port forwarders of rootless Podman (comm names, cut at 15 characters): a port held by one of these belongs to a container, even
    /// though the process sits in its user's session cgroup rather than a libpod one.
    static let podmanForwarders: Set<String> = [
        "rootlessport", "rootlessport-ch", "pasta", "pasta.avx2", "slirp4netns", "conmon",
    ]

    /// Whether the holder is the port forwarder of some rootless container that Podman's list (of
    /// this user) did not include: another user's container, or one outside the API's view.
    public var isRootlessPodmanForwarder: Bool {
        guard let processName else { return false }
        return Self.podmanForwarders.contains(processName)
    }
}
