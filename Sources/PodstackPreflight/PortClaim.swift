/// The transport a host port is published on. Podman, `ss` and /proc all keep TCP and UDP apart, and so
/// does the kernel: a TCP listener on 11434 does not stop a UDP socket on 11434.
public enum TransportProtocol: String, Sendable, Hashable, Codable, CaseIterable {
    case tcp
    case udp
}

/// One host port the stack wants: what preflight is asked to clear.
public struct PortClaim: Sendable, Hashable, Codable {
    /// The pod that publishes the port (`local-ai`).
    public var pod: String
    /// The compose service behind it (`ollama`).
    public var service: String
    /// The host address as written in the stack (`127.0.0.1`, `0.0.0.0`, `::`). Empty means every
    /// interface, which is how Podman reads an omitted host IP.
    public var hostIP: String
    public var port: Int
    public var transport: TransportProtocol
    /// The variable that moves this port (`OLLAMA_PORT`), offered as a way out; nil when the port is fixed.
    public var variable: String?

    public init(
        pod: String, service: String, hostIP: String, port: Int, transport: TransportProtocol = .tcp,
        variable: String? = nil
    ) {
        self.pod = pod
        self.service = service
        self.hostIP = hostIP
        self.port = port
        self.transport = transport
        self.variable = variable
    }
}

/// A port that a Podman container or pod publishes, as the Podman API reports it. Rootless ports are
/// held on the host by `rootlessport` (or `pasta`, `slirp4netns`) in the owner's session, never inside a
/// libpod cgroup, so this list is the only way to tell "our pod" from "another container".
public struct PublishedPort: Sendable, Hashable, Codable {
    public var hostIP: String
    public var port: Int
    public var transport: TransportProtocol
    public var podName: String?
    public var containerName: String
    /// The value of the `io.podstack.stack` label, nil when the container is not podstack's.
    public var stackLabel: String?

    public init(
        hostIP: String, port: Int, transport: TransportProtocol = .tcp, podName: String? = nil,
        containerName: String, stackLabel: String? = nil
    ) {
        self.hostIP = hostIP
        self.port = port
        self.transport = transport
        self.podName = podName
        self.containerName = containerName
        self.stackLabel = stackLabel
    }
}
