/// A published port: host address and port to container port.
public struct PortMapping: Sendable, Codable, Hashable {
    public enum TransportProtocol: String, Sendable, Codable, Hashable, CaseIterable {
        case tcp
        case udp
    }

    /// The stack's rule is to bind loopback unless the file names an address, so a port is never opened to
    /// the network by accident: even short syntax `8080:80` binds 127.0.0.1.
    public static let defaultHostIP = "127.0.0.1"
    public static let validRange = 1...65535
    /// The host port of a port published without one (`"8001"`, or long syntax without `published`):
    /// Podman picks a free one when it creates the pod (libpod's host_port 0), and keeps it across restarts.
    public static let podmanPicksHostPort = 0

    public var hostIP: String
    public var hostPort: Int
    public var containerPort: Int
    public var `protocol`: TransportProtocol
    /// The variable that sets the host port (`OLLAMA_PORT` for `${OLLAMA_PORT:-11434}`): the way out of a
    /// port conflict that the preflight can name.
    public var hostPortVariable: String?
    public var location: SourceLocation

    public init(
        hostIP: String = PortMapping.defaultHostIP, hostPort: Int, containerPort: Int,
        protocol: TransportProtocol = .tcp, hostPortVariable: String? = nil, location: SourceLocation
    ) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.protocol = `protocol`
        self.hostPortVariable = hostPortVariable
        self.location = location
    }

    /// Whether Podman picks the host port (`podmanPicksHostPort`).
    public var hostPortIsPicked: Bool { hostPort == Self.podmanPicksHostPort }

    /// True when both would bind the same port: same port and protocol, and addresses that overlap (equal,
    /// or either one the wildcard, which takes the port on every address).
    public func conflicts(with other: PortMapping) -> Bool {
        guard hostPort == other.hostPort, !hostPortIsPicked, self.protocol == other.protocol else { return false }
        return hostIP == other.hostIP || Self.isWildcard(hostIP) || Self.isWildcard(other.hostIP)
    }

    static func isWildcard(_ address: String) -> Bool {
        address == "0.0.0.0" || address == "::" || address.isEmpty
    }
}
