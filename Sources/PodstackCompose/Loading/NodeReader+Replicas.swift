/// `deploy.replicas: N` (and the older `scale: N`): the service runs as N containers, as compose runs it.
/// Each replica is a service of its own in the model, `<service>-<index>` (so its container is
/// `<pod>-<service>-<index>`, compose's name), and answers to the service's name on its networks, so
/// `http://<service>:<port>` reaches one of them through Podman's DNS. Replicas listen on one port and must
/// share a name, so their pod's services get network namespaces of their own (`OwnNetworkReason.replicas`).
extension NodeReader {
    mutating func readReplicas(_ node: ComposeNode, _ what: String, of service: ServiceDefinition) {
        guard let count = int(node, what, range: 0...Int.max) else { return }
        switch count {
        case 1: serviceReplicas[service.name] = nil
        case 0:
            report(
                node, "\(what) is 0: podstack runs every service it loads",
                hint: "leave the service out with profiles: instead")
        default:
            guard count <= 64 else {
                report(node, "\(what) is \(count): podstack runs at most 64 replicas of a service")
                return
            }
            serviceReplicas[service.name] = (count, location(node))
        }
    }

    /// The services with each replicated one replaced by its replicas, and what named the service (its
    /// dependents, `network_mode: service:`) pointed at them: a dependent waits for every replica.
    mutating func expandingReplicas(_ services: [ServiceDefinition]) -> [ServiceDefinition] {
        guard !serviceReplicas.isEmpty else { return services }
        var replicaNames: [String: [String]] = [:]
        var expanded: [ServiceDefinition] = []
        for service in services {
            guard let replicas = serviceReplicas[service.name] else {
                expanded.append(service)
                continue
            }
            if addressingLocations[AddressingKey(service: service.name, key: "container_name")] != nil {
                report(
                    at: replicas.location,
                    "service '\(service.name)' sets container_name and runs \(replicas.count) replicas; one name "
                        + "cannot be given to \(replicas.count) containers",
                    hint: "remove container_name, or run one replica")
                expanded.append(service)
                continue
            }
            let copies = (1...replicas.count).map { replica(of: service, index: $0) }
            replicaNames[service.name] = copies.map(\.name)
            expanded += copies
            // The service's own anonymous volumes are now its replicas'.
            let ownPrefix = "\(service.podName)_\(service.name)_"
            anonymousVolumes.removeAll { volume in
                volume.name.hasPrefix(ownPrefix) && service.mounts.contains { $0.volumeName == volume.name }
            }
        }
        for index in expanded.indices {
            let name = expanded[index].name
            expanded[index].dependsOn = expanded[index].dependsOn.flatMap { dependency in
                guard let replicas = replicaNames[dependency.service] else { return [dependency] }
                let location = dependencyLocations[DependencyKey(service: name, dependency: dependency.service)]
                return replicas.map { replica in
                    dependencyLocations[DependencyKey(service: name, dependency: replica)] = location
                    var each = dependency
                    each.service = replica
                    return each
                }
            }
            if let target = sharedNetworkService[name], let first = replicaNames[target]?.first {
                sharedNetworkService[name] = first
            }
        }
        return expanded
    }

    /// One replica: the service under its replica's name, with the service's name as an alias on each of its
    /// networks, and an anonymous volume of its own for each of the service's (as compose gives each
    /// replica's container its own).
    private mutating func replica(of service: ServiceDefinition, index: Int) -> ServiceDefinition {
        var copy = service
        copy.name = "\(service.name)-\(index)"
        copy.containerName = ServiceDefinition.containerName(pod: service.podName, service: copy.name)
        replicaOf[copy.name] = service.name
        serviceNetworks[copy.name] = serviceNetworks[service.name]
        sharedNetworkService[copy.name] = sharedNetworkService[service.name]
        linkAliases[copy.name] = linkAliases[service.name]
        var options = serviceNetworkOptions[service.name] ?? [:]
        for network in networks(of: service) ?? [] {
            options[network, default: NetworkAttachment(network: network)].aliases.insert(service.name, at: 0)
        }
        serviceNetworkOptions[copy.name] = options
        for (key, location) in addressingLocations where key.service == service.name {
            addressingLocations[AddressingKey(service: copy.name, key: key.key)] = location
        }
        for (key, location) in dependencyLocations where key.service == service.name {
            dependencyLocations[DependencyKey(service: copy.name, dependency: key.dependency)] = location
        }
        let ownPrefix = "\(service.podName)_\(service.name)_"
        copy.mounts = copy.mounts.map { mount in
            guard case .volume(let name, let target, let readOnly) = mount, name.hasPrefix(ownPrefix),
                anonymousVolumes.contains(where: { $0.name == name })
            else { return mount }
            let renamed = "\(service.podName)_\(copy.name)_" + name.dropFirst(ownPrefix.count)
            if !anonymousVolumes.contains(where: { $0.name == renamed }) {
                anonymousVolumes.append(VolumeDefinition(name: renamed, key: renamed))
            }
            return .volume(name: renamed, target: target, readOnly: readOnly)
        }
        return copy
    }
}
