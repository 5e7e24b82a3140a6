/// How a service is named and what it resolves, as compose writes it per service. The services of a pod
/// share one network namespace, one /etc/hosts and one resolv.conf, so every setting here is gathered into
/// the pod's `network`; the reader refuses services whose values disagree. Hostnames may differ: the pod
/// then gives each container a UTS namespace of its own (`PodNetwork.hostnamePerService`).
public struct ServiceAddressing: Sendable, Codable, Hashable {
    /// `hostname:`, which becomes the pod's hostname (the container's, when services ask for different ones).
    public var hostname: String?
    /// Further names that resolve to the pod: `networks.X.aliases` and the aliases of `links`.
    public var aliases: [String]
    /// `extra_hosts:`.
    public var extraHosts: [HostEntry]
    /// `network_mode: host` or `none`, which becomes the pod's network; nil for the pod's own namespace
    /// (also what `service:NAME` means inside one pod).
    public var networkMode: String?
    public var dnsServers: [String]
    public var dnsSearch: [String]
    public var dnsOptions: [String]
    /// The service's networks, with its aliases and addresses on each; set only in a pod whose services have
    /// network namespaces of their own (`PodDefinition.networks`).
    public var networkAttachments: [NetworkAttachment]

    public init(
        hostname: String? = nil, aliases: [String] = [], extraHosts: [HostEntry] = [], dnsServers: [String] = [],
        dnsSearch: [String] = [], dnsOptions: [String] = [], networkMode: String? = nil,
        networkAttachments: [NetworkAttachment] = []
    ) {
        self.networkAttachments = networkAttachments
        self.networkMode = networkMode
        self.hostname = hostname
        self.aliases = aliases
        self.extraHosts = extraHosts
        self.dnsServers = dnsServers
        self.dnsSearch = dnsSearch
        self.dnsOptions = dnsOptions
    }
}

/// One /etc/hosts line: a name and the address it resolves to.
public struct HostEntry: Sendable, Codable, Hashable {
    public var name: String
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// compose's word for "the host, as the container reaches it" (`host.docker.internal:host-gateway`).
    /// It stays in the model as written; `ContainerSpecBuilder` turns it into what the Podman at hand
    /// understands.
    public static let hostGateway = "host-gateway"

    /// Podman's `hostadd` form.
    public var podmanForm: String { "\(name):\(address)" }
}

/// The pod's network settings, gathered from its services.
public struct PodNetwork: Sendable, Codable, Hashable {
    /// The hostname the services asked for, when they agree; nil leaves the pod's name as its hostname.
    public var hostname: String?
    /// Service name to hostname, when services ask for different hostnames: the pod then shares no UTS
    /// namespace, and each container has its own hostname (Podman's default, the container's short ID,
    /// for a service that names none, as compose has it). Empty when the pod shares one hostname.
    public var hostnamePerService: [String: String] = [:]
    /// `host` or `none`; nil for the pod's own network namespace.
    public var mode: String?
    public var serviceNames: [String]
    public var aliases: [String]
    public var extraHosts: [HostEntry]
    public var dnsServers: [String]
    public var dnsSearch: [String]
    public var dnsOptions: [String]

    static let loopback = "127.0.0.1"

    /// Every service name and alias at 127.0.0.1 (the pod's one network namespace), so that an address
    /// such as `http://ollama:11434` works unchanged inside the pod; then each `extra_hosts` entry. None on
    /// the host's network, which keeps the host's hosts file (the reader refuses extra_hosts there).
    public var hosts: [HostEntry] {
        if mode == "host" { return [] }
        var seen = Set<String>()
        let local = (serviceNames + aliases).map { HostEntry(name: $0, address: Self.loopback) }
        return (local + extraHosts).filter { seen.insert($0.name).inserted }
    }

    /// Whether anything beyond the service names is set: only such a pod has its network in its hash,
    /// so a pod that uses none of these keys keeps the hash it had before they were read.
    public var hasExplicitSettings: Bool {
        hostname != nil || !hostnamePerService.isEmpty || mode != nil || !aliases.isEmpty || !extraHosts.isEmpty
            || !dnsServers.isEmpty || !dnsSearch.isEmpty || !dnsOptions.isEmpty
    }
}

extension PodDefinition {
    /// The union of the services' settings, each value once, in file order. The reader has already
    /// refused values that disagree (one name at two addresses); hostnames that differ are kept per service.
    public var network: PodNetwork {
        let settings = services.map(\.addressing)
        let hostnames = Set(settings.compactMap(\.hostname))
        var network = PodNetwork(
            hostname: hostnames.count > 1 ? nil : hostnames.first,
            mode: settings.compactMap(\.networkMode).first { $0 == "host" || $0 == "none" },
            serviceNames: services.map(\.name),
            aliases: Self.union(settings.map(\.aliases)), extraHosts: Array(Set(settings.flatMap(\.extraHosts)))
                .sorted { ($0.name, $0.address) < ($1.name, $1.address) },
            dnsServers: Self.union(settings.map(\.dnsServers)), dnsSearch: Self.union(settings.map(\.dnsSearch)),
            dnsOptions: Self.union(settings.map(\.dnsOptions)))
        if hostnames.count > 1 {
            network.hostnamePerService = services.reduce(into: [:]) { $0[$1.name] = $1.addressing.hostname }
        }
        return network
    }

    private static func union(_ lists: [[String]]) -> [String] {
        var seen = Set<String>()
        return lists.flatMap { $0 }.filter { seen.insert($0).inserted }
    }
}
