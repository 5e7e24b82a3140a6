import PodstackCompose

extension KubeExporter {
    /// `podman kube play` reads a claim's local-driver options from these annotations (libpod's
    /// `volume.podman.io/*`), so a `driver_opts` bind or tmpfs volume plays as the same volume. Kubernetes
    /// itself has no such options: a cluster's storage class decides where a claim's data lives.
    static let volumeOptionAnnotations: [String: String] = [
        "type": "volume.podman.io/type", "device": "volume.podman.io/device", "o": "volume.podman.io/mount-options",
        "uid": "volume.podman.io/uid", "gid": "volume.podman.io/gid",
    ]

    static func claimMetadata(name: String, pod: PodDefinition, volume: VolumeDefinition) -> YAMLValue {
        let base = KubePodBuilder.metadata(name: name, pod: pod)
        let annotations = volume.driverOptions.sorted { $0.key < $1.key }.compactMap { option -> YAMLEntry? in
            volumeOptionAnnotations[option.key].map { YAMLEntry($0, .string(option.value)) }
        }
        guard !annotations.isEmpty, case .map(let entries) = base else { return base }
        let dropped = volume.driverOptions.keys.filter { volumeOptionAnnotations[$0] == nil }.sorted()
        let comment =
            dropped.isEmpty
            ? []
            : ["driver_opts \(dropped.joined(separator: ", ")) have no kube play annotation; set them on the volume."]
        return .map(entries + [YAMLEntry("annotations", .map(annotations), comments: comment)])
    }
}
