/// A top-level network as the file declares it, with where it asks for a network of its own.
struct DeclaredNetwork {
    var definition: NetworkDefinition
    /// Where `external`, `internal`, `labels` or `ipam` is written: such a network must exist as a Podman
    /// network, so its pod's services get namespaces of their own. Nil for a network that only groups.
    var settingsLocation: SourceLocation?
}

/// The services of a pod share one network namespace unless the file asks for what one namespace cannot
/// give; then each service gets a namespace of its own on the pod's Podman networks, which keeps compose's
/// meaning exactly: every service reaches the others on its networks at their names and aliases (through
/// Podman's DNS), and no other.
extension NodeReader {
    /// Why this group of services (one pod) cannot share one namespace; nil when it can (most pods).
    func ownNetworkReason(_ group: [ServiceDefinition]) -> OwnNetworkReason? {
        for service in group {
            if let original = replicaOf[service.name], let replicas = serviceReplicas[original] {
                return .replicas(service: original, count: replicas.count)
            }
        }
        var portOwner: [String: String] = [:]
        for service in group where service.addressing.networkMode == nil && sharedNetworkService[service.name] == nil {
            for port in service.ports {
                let key = "\(port.containerPort)/\(port.protocol.rawValue)"
                if let first = portOwner[key], first != service.name {
                    return .sameContainerPort(port: key, services: [first, service.name])
                }
                portOwner[key] = service.name
            }
        }
        for (index, service) in group.enumerated() {
            guard let mine = networks(of: service).map(Set.init) else { continue }
            if let apart = group[..<index].first(where: { networks(of: $0).map { mine.isDisjoint(with: $0) } ?? false }) {
                return .networksKeptApart(services: [apart.name, service.name])
            }
        }
        for service in group {
            for (network, attachment) in (serviceNetworkOptions[service.name] ?? [:]).sorted(by: { $0.key < $1.key })
            where attachment.ipv4Address != nil {
                return .fixedAddress(service: service.name, network: network)
            }
        }
        for service in group {
            for network in networks(of: service) ?? [] where declaredNetworks[network]?.settingsLocation != nil {
                return .networkSettings(network: network)
            }
        }
        // SearXNG's caddy on the host's network, fronting searxng and redis on theirs.
        let onNetworks = group.contains { $0.addressing.networkMode == nil && sharedNetworkService[$0.name] == nil }
        if onNetworks, let apart = group.first(where: { ["host", "none"].contains($0.addressing.networkMode) }) {
            return .networkModeBeside(service: apart.name, mode: apart.addressing.networkMode ?? "")
        }
        return nil
    }

    /// What a service of such a pod cannot have: ports on a namespace that is not its own (`network_mode`
    /// host, none or service:NAME), where Podman has nothing to publish them on. A container of its own on
    /// the host's network takes `extra_hosts` and DNS settings (measured on 4.3.1 and 5.4.2: its /etc/hosts
    /// and resolv.conf have them), unlike a pod on it (`checkHostNetworkAddressing`), so they stay.
    mutating func checkOwnNetworkModes(_ group: [ServiceDefinition]) {
        for service in group where !service.ports.isEmpty {
            let mode = service.addressing.networkMode ?? sharedNetworkService[service.name].map { "service:\($0)" }
            guard let mode else { continue }
            report(
                at: service.ports[0].location,
                "service '\(service.name)' publishes ports on network_mode \(mode), where it has no network of its own",
                hint: mode.hasPrefix("service:") ? "publish them on the service it joins" : "remove ports")
        }
    }

    /// The pod with its networks (those its services are on, in the order first named) and each service's
    /// attachments: its aliases on each network (those of `links` on every one) and fixed addresses.
    func withOwnNetworks(_ part: ParsedPod, reason: OwnNetworkReason, project: String) -> ParsedPod {
        var part = part
        var used: [String] = []
        for service in part.definition.services {
            for key in networks(of: service) ?? [] where !used.contains(key) { used.append(key) }
        }
        part.definition.networks = used.map {
            declaredNetworks[$0]?.definition ?? NetworkDefinition(key: $0, name: "\(project)_\($0)")
        }
        part.definition.ownNetworkReason = reason
        for index in part.definition.services.indices {
            let name = part.definition.services[index].name
            if let target = sharedNetworkService[name] {
                part.definition.services[index].addressing.networkMode = "service:\(target)"
                continue
            }
            guard let keys = networks(of: part.definition.services[index]) else { continue }
            part.definition.services[index].addressing.networkAttachments = keys.map { key in
                var attachment = serviceNetworkOptions[name]?[key] ?? NetworkAttachment(network: key)
                var seen = Set<String>()
                attachment.aliases = (attachment.aliases + (linkAliases[name] ?? [])).filter { seen.insert($0).inserted }
                return attachment
            }
        }
        return part
    }
}
