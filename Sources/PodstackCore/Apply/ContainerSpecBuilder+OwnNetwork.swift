import PodmanAPI
import PodstackCompose

extension ContainerSpecBuilder {
    /// A service with a network namespace of its own (its pod has networks, `PodDefinition.networks`): the
    /// container joins its networks with its service name and aliases, publishes its own ports and keeps its
    /// own hostname, hosts entries and DNS settings, each as the file gives it for this service.
    static func applyOwnNetwork(
        _ service: ServiceDefinition, in pod: PodDefinition, hostGateway: String,
        to spec: inout Podman.ContainerCreateSpec
    ) {
        let addressing = service.addressing
        spec.portMappings = service.ports.isEmpty ? nil : portMappings(service.ports)
        for key in ServiceAddressing.Key.allCases {
            switch key {
            case .hostname: spec.hostname = addressing.hostname
            // Every alias is on the networks it was given for (networkAttachments); `links` aliases on all.
            case .aliases: break
            case .extraHosts:
                let entries = addressing.extraHosts.map { entry in
                    entry.address == HostEntry.hostGateway ? "\(entry.name):\(hostGateway)" : entry.podmanForm
                }
                spec.hostAdd = entries.isEmpty ? nil : entries
            case .networkMode: spec.netns = namespace(addressing.networkMode, in: pod)
            case .dnsServers: spec.dnsServer = addressing.dnsServers.isEmpty ? nil : addressing.dnsServers
            case .dnsSearch: spec.dnsSearch = addressing.dnsSearch.isEmpty ? nil : addressing.dnsSearch
            case .dnsOptions: spec.dnsOption = addressing.dnsOptions.isEmpty ? nil : addressing.dnsOptions
            case .networkAttachments:
                guard !addressing.networkAttachments.isEmpty else { break }
                spec.networks = addressing.networkAttachments.reduce(into: [:]) { networks, attachment in
                    guard let network = pod.network(key: attachment.network) else { return }
                    var seen = Set<String>()
                    let aliases = ([service.name] + attachment.aliases).filter { seen.insert($0).inserted }
                    let addresses = [attachment.ipv4Address].compactMap { $0 }
                    networks[network.name] = .init(aliases: aliases, staticIPs: addresses.isEmpty ? nil : addresses)
                }
            }
        }
    }

    /// `bridge` (the container's own namespace, on its networks) unless the file says `host`, `none` or
    /// `service:NAME` (NAME's container's namespace). `service:NAME` where NAME is on the host's network
    /// (itself or through the services it joins) is the host's: joining the host's namespace through a
    /// container fails rootless on Podman 4.3.1, as for the other namespaces (`applyNamespaces`).
    private static func namespace(_ mode: String?, in pod: PodDefinition) -> Podman.Namespace {
        var target = mode
        for _ in pod.services {
            guard let shared = target, shared.hasPrefix("service:") else { break }
            target = pod.service(named: String(shared.dropFirst("service:".count)))?.addressing.networkMode
        }
        if target == "host" { return Podman.Namespace(nsmode: "host") }
        switch mode {
        case "host", "none": return Podman.Namespace(nsmode: mode ?? "bridge")
        case let shared? where shared.hasPrefix("service:"):
            let name = String(shared.dropFirst("service:".count))
            return Podman.Namespace(nsmode: "container", value: pod.service(named: name)?.containerName ?? name)
        default: return Podman.Namespace(nsmode: "bridge")
        }
    }
}
