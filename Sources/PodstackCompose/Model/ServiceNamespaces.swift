/// `pid:`, `ipc:` and `uts:` of a service. In a pod, Podman shares ipc, net and uts among the containers by
/// default and gives each its own pid namespace; a container may still choose otherwise, which Podman 4.3.1
/// and 5.4.2 were both seen to honour (PodNamespacesIntegrationTests).
public struct ServiceNamespaces: Sendable, Codable, Hashable {
    public enum Mode: Sendable, Codable, Hashable, CustomStringConvertible {
        /// The host's namespace.
        case host
        /// A namespace of the container's own (`ipc: private`).
        case `private`
        /// A namespace of its own that others may join (`ipc: shareable`).
        case shareable
        /// `ipc: none`: a private IPC namespace without /dev/shm mounted (Podman's and Docker's meaning).
        case privateWithoutShm
        /// The namespace of another service's container (`service:NAME`); the service starts after it.
        case service(String)

        /// As compose writes it.
        public var description: String {
            switch self {
            case .host: "host"
            case .private: "private"
            case .shareable: "shareable"
            case .privateWithoutShm: "none"
            case .service(let name): "service:\(name)"
            }
        }
    }

    public var pid: Mode?
    public var ipc: Mode?
    public var uts: Mode?

    public init(pid: Mode? = nil, ipc: Mode? = nil, uts: Mode? = nil) {
        self.pid = pid
        self.ipc = ipc
        self.uts = uts
    }

    /// The modes the file set, by key, for the fingerprint: empty when none is set.
    public var written: [String: String] {
        var found: [String: String] = [:]
        found["pid"] = pid?.description
        found["ipc"] = ipc?.description
        found["uts"] = uts?.description
        return found
    }
}
