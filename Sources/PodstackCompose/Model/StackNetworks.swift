/// A Podman network that podstack makes (or joins, when `external`) for a pod whose services each have a
/// network namespace of their own (`PodDefinition.networks`): one entry of the file's top-level `networks:`,
/// or compose's `default`.
///
/// Most pods need none: their services share the pod's one namespace and reach each other on 127.0.0.1. A
/// pod gets networks only when the file asks for what one namespace cannot give (`OwnNetworkReason`): two
/// services listening on the same container port, networks that keep services apart while a third joins
/// both, a fixed address, or a network with settings of its own (`ipam`, `internal`, `external`). Then each
/// service's container joins its networks with its name and aliases, so `http://db:5432` resolves through
/// Podman's DNS (aardvark-dns) exactly as compose has it.
public struct NetworkDefinition: Sendable, Codable, Hashable {
    /// The key under top-level `networks:` (or `default`), which services name.
    public var key: String
    /// The name Podman sees: `<project>_<key>`, as compose names it, unless the file gives `name:`.
    public var name: String
    /// `external: true`: the network must exist already; podstack neither creates nor removes it.
    public var external: Bool
    /// `internal: true`: no route out of the network.
    public var isInternal: Bool
    /// `ipam.config`: the subnets, with their gateway and the range addresses are given from.
    public var subnets: [NetworkSubnet]
    public var labels: [String: String]

    public init(
        key: String, name: String, external: Bool = false, isInternal: Bool = false, subnets: [NetworkSubnet] = [],
        labels: [String: String] = [:]
    ) {
        self.key = key
        self.name = name
        self.external = external
        self.isInternal = isInternal
        self.subnets = subnets
        self.labels = labels
    }
}

/// One `ipam.config` entry of a network.
public struct NetworkSubnet: Sendable, Codable, Hashable {
    /// CIDR, such as `172.28.0.0/16`.
    public var subnet: String
    public var gateway: String?
    /// `ip_range`: the CIDR inside the subnet that Podman hands addresses from.
    public var ipRange: String?

    public init(subnet: String, gateway: String? = nil, ipRange: String? = nil) {
        self.subnet = subnet
        self.gateway = gateway
        self.ipRange = ipRange
    }
}

/// A service on one of its pod's networks, as `networks.<key>` of the service writes it. Only set on the
/// services of a pod that has networks (`PodDefinition.networks`); empty otherwise, so that a pod sharing one
/// namespace keeps every hash it had.
public struct NetworkAttachment: Sendable, Codable, Hashable {
    /// The key of the network (`NetworkDefinition.key`).
    public var network: String
    /// The names the container answers to on this network besides its service and container name.
    public var aliases: [String]
    public var ipv4Address: String?

    public init(network: String, aliases: [String] = [], ipv4Address: String? = nil) {
        self.network = network
        self.aliases = aliases
        self.ipv4Address = ipv4Address
    }
}

/// Why a pod's services get network namespaces of their own, for `podstack config` and the docs.
public enum OwnNetworkReason: Sendable, Codable, Hashable {
    /// Two services listen on the same container port, which one namespace cannot hold.
    case sameContainerPort(port: String, services: [String])
    /// Two services share no network while another joins both: one namespace would let them reach each other.
    case networksKeptApart(services: [String])
    /// A service asks for a fixed address on a network.
    case fixedAddress(service: String, network: String)
    /// A network has settings of its own (`ipam`, `internal`, `external`, `labels`), so it must exist.
    case networkSettings(network: String)
    /// A service runs as several containers (`deploy.replicas`), each answering to the service's name.
    case replicas(service: String, count: Int)
    /// A service on `network_mode: host` or `none` beside services on networks: a pod's one namespace
    /// cannot be the host's for one service and the pod's for the others.
    case networkModeBeside(service: String, mode: String)

    public var sentence: String {
        switch self {
        case .sameContainerPort(let port, let services):
            return "services \(services.map { "'\($0)'" }.joined(separator: " and ")) both listen on container port \(port)"
        case .networksKeptApart(let services):
            return "the file keeps services \(services.map { "'\($0)'" }.joined(separator: " and ")) apart"
        case .fixedAddress(let service, let network):
            return "service '\(service)' has a fixed address on network '\(network)'"
        case .networkSettings(let network):
            return "network '\(network)' has settings of its own"
        case .replicas(let service, let count):
            return "service '\(service)' runs as \(count) replicas"
        case .networkModeBeside(let service, let mode):
            return "service '\(service)' is on network_mode \(mode) beside services on networks"
        }
    }
}
