import Foundation

/// A file whose services fall into groups with no network shared between groups (minio and nginx on
/// `default`, the others on `demo`, in n8n's starter kit) becomes one pod per group: compose keeps the
/// groups from reaching each other, and separate pods keep exactly that. Services that share a network,
/// directly or through others, stay in one pod (`checkBridgedNetworks` refuses those kept apart inside it).
extension NodeReader {
    /// The networks a service is on; an empty `networks:` is `default`, as compose reads it.
    func networks(of service: ServiceDefinition) -> [String]? {
        serviceNetworks[service.name].map { $0.isEmpty ? ["default"] : $0 }
    }

    /// The services in groups that share no network, each group in file order and ordered by its first
    /// service. A service on `network_mode: service:NAME` is in NAME's group. A file with a service on host
    /// or none is one group: beside services on networks, that pod gives each service a namespace of its
    /// own (`OwnNetworkReason.networkModeBeside`), which keeps apart what the networks keep apart.
    func networkGroups(_ services: [ServiceDefinition]) -> [[ServiceDefinition]] {
        guard services.count > 1, !services.contains(where: { $0.addressing.networkMode != nil }) else {
            return [services]
        }
        let index = Dictionary(services.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        var parent = Array(services.indices)
        func root(_ item: Int) -> Int {
            var item = item
            while parent[item] != item { item = parent[item] }
            return item
        }
        func join(_ first: Int, _ second: Int) {
            let (a, b) = (root(first), root(second))
            parent[max(a, b)] = min(a, b)
        }
        var firstOnNetwork: [String: Int] = [:]
        for (position, service) in services.enumerated() {
            for network in networks(of: service) ?? [] {
                if let earlier = firstOnNetwork[network] {
                    join(earlier, position)
                } else {
                    firstOnNetwork[network] = position
                }
            }
            // An unknown NAME is reported by the dependency check; the service stays with the first meanwhile.
            if let target = sharedNetworkService[service.name].map({ index[$0] ?? 0 }) { join(target, position) }
        }
        var groups: [Int: [ServiceDefinition]] = [:]
        for (position, service) in services.enumerated() { groups[root(position), default: []].append(service) }
        return groups.keys.sorted().compactMap { groups[$0] }
    }

    /// The pod's name for a group: the project's for the group on `default` (or when there is one group),
    /// else `<project>-<network>` after the first network of the group's first service on one.
    func podName(of group: [ServiceDefinition], project: String, groups: Int) -> String {
        let groupNetworks = group.flatMap { networks(of: $0) ?? [] }
        guard groups > 1, !groupNetworks.contains("default"), let first = groupNetworks.first else { return project }
        let suffix = ProjectName.normalize(first)
        return suffix.isEmpty ? project : "\(project)-\(suffix)"
    }

    /// The pod split into one per group, each with the volumes and secrets its services use (those no
    /// service uses stay with the first pod, as with one pod).
    func split(_ pod: ParsedPod, groups: [[ServiceDefinition]]) -> [ParsedPod] {
        guard groups.count > 1 else { return [pod] }
        let project = pod.definition.name
        return groups.enumerated().map { position, group in
            let name = podName(of: group, project: project, groups: groups.count)
            var part = pod
            part.definition.name = name
            part.definition.services = group.map { service in
                var service = service
                service.podName = name
                return service
            }
            let volumes = Set(group.flatMap(\.mounts).compactMap(\.volumeName))
            let secrets = Set(group.flatMap(\.secrets).map(\.source))
            let usedVolumes = Set(pod.definition.services.flatMap(\.mounts).compactMap(\.volumeName))
            let usedSecrets = Set(pod.definition.services.flatMap(\.secrets).map(\.source))
            part.definition.volumes = pod.definition.volumes.filter {
                volumes.contains($0.name) || (position == 0 && !usedVolumes.contains($0.name))
            }
            part.definition.secrets = pod.definition.secrets.filter {
                secrets.contains($0.key) || (position == 0 && !usedSecrets.contains($0.key))
            }
            return renamingConfigSecrets(part, from: project)
        }
    }

    /// The secrets that hold configs are named `<pod>_config_...` (`ownedConfig`), which is how `down
    /// --volumes` finds those of texts the file no longer has: a pod of a split file names its own.
    private func renamingConfigSecrets(_ part: ParsedPod, from project: String) -> ParsedPod {
        let prefix = project + "_config_"
        guard part.definition.name != project else { return part }
        var part = part
        var renamed: [String: String] = [:]
        for index in part.definition.secrets.indices {
            // Only configs' secrets hold a text; a top-level secret keeps the name it was given.
            guard case .text = part.definition.secrets[index].source,
                part.definition.secrets[index].name.hasPrefix(prefix)
            else { continue }
            let old = part.definition.secrets[index].name
            let new = part.definition.name + "_config_" + old.dropFirst(prefix.count)
            renamed[old] = new
            part.definition.secrets[index].name = new
            part.definition.secrets[index].key = new
        }
        for index in part.definition.services.indices {
            for reference in part.definition.services[index].secrets.indices {
                let source = part.definition.services[index].secrets[reference].source
                if let new = renamed[source] { part.definition.services[index].secrets[reference].source = new }
            }
        }
        return part
    }
}

extension MountDefinition {
    /// The Podman volume a named-volume mount uses.
    var volumeName: String? {
        if case .volume(let name, _, _) = self { return name }
        return nil
    }
}
