import PodstackCompose

extension KubePodBuilder {
    /// The extended resources Kubernetes' GPU device plugins take: `nvidia.com/gpu` and `amd.com/gpu` under
    /// `resources.limits`, one per CDI name of that kind. What has no such resource (host paths, other CDI
    /// kinds) becomes a note on the container, since a cluster gives devices only through a plugin.
    func deviceResources(_ service: ServiceDefinition) -> (entry: YAMLEntry?, notes: [String]) {
        var counts: [(resource: String, count: Int, all: Bool)] = []
        var notes: [String] = []
        for device in service.devices {
            guard device.isCDI, let equals = device.path.firstIndex(of: "="),
                Self.gpuResources.contains(String(device.path[..<equals]))
            else {
                notes.append(
                    "device \(device.path): Kubernetes gives devices only through a device plugin; "
                        + "install one that offers it.")
                continue
            }
            let resource = String(device.path[..<equals])
            let isAll = device.path[device.path.index(after: equals)...] == "all"
            if let index = counts.firstIndex(where: { $0.resource == resource }) {
                counts[index].count += 1
                counts[index].all = counts[index].all || isAll
            } else {
                counts.append((resource, 1, isAll))
            }
        }
        guard !counts.isEmpty else { return (nil, notes) }
        let comments = counts.filter(\.all).map {
            "\($0.resource)=all: Kubernetes has no count for every GPU; 1 is written, set how many this needs."
        }
        let limits = counts.map { YAMLEntry($0.resource, .int($0.all ? 1 : $0.count)) }
        return (YAMLEntry("resources", .map([YAMLEntry("limits", .map(limits))]), comments: comments), notes)
    }

    /// The resource names of NVIDIA's and AMD's Kubernetes device plugins, which are also their CDI kinds.
    static let gpuResources: Set = ["nvidia.com/gpu", "amd.com/gpu"]
}
