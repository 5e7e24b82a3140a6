import PodstackCompose

/// The Pod spec of one compose pod: its volumes, its containers in start order, and one restart policy.
struct KubePodBuilder {
    static let nameLabel = "app.kubernetes.io/name"

    let pod: PodDefinition
    let order: KubeStartOrder
    /// Volume names in the Pod spec: bind sources by host path, named volumes by Podman name, secrets by key.
    let bindVolumes: [String: String]
    let namedVolumes: [String: String]
    let secretVolumes: [String: String]
    let hostPathKind: @Sendable (String) -> HostPathKind
    /// Set when `pod` is one service of a pod whose services have network namespaces of their own.
    let ownNetwork: KubeOwnNetwork?

    init(
        pod: PodDefinition, order: KubeStartOrder, hostPathKind: @escaping @Sendable (String) -> HostPathKind,
        ownNetwork: KubeOwnNetwork? = nil
    ) {
        self.pod = pod
        self.order = order
        self.ownNetwork = ownNetwork
        self.hostPathKind = hostPathKind
        var binds: [String] = []
        var named: [String] = []
        for mount in pod.services.flatMap(\.mounts) {
            switch mount {
            case .bind(let source, _, _, _): if !binds.contains(source) { binds.append(source) }
            case .volume(let name, _, _): if !named.contains(name) { named.append(name) }
            }
        }
        let secretKeys = pod.secrets.map(\.key).filter { key in
            pod.services.contains { $0.secrets.contains { $0.source == key } }
        }
        // Named after what a person recognises: the data directory's last component, the volume's key.
        let bindBases = binds.map { source in source.split(separator: "/").last.map(String.init) ?? "data" }
        let namedBases = named.map { name in pod.volumes.first { $0.name == name }?.key ?? name }
        let all = KubeNames.unique(bindBases + namedBases + secretKeys.map { "secret-" + $0 })
        bindVolumes = Dictionary(uniqueKeysWithValues: zip(binds, all.prefix(binds.count)))
        namedVolumes = Dictionary(uniqueKeysWithValues: zip(named, all.dropFirst(binds.count).prefix(named.count)))
        secretVolumes = Dictionary(uniqueKeysWithValues: zip(secretKeys, all.suffix(secretKeys.count)))
    }

    func usesVolume(_ podmanName: String) -> Bool { namedVolumes[podmanName] != nil }
    func usesSecret(_ key: String) -> Bool { secretVolumes[key] != nil }

    static func metadata(name: String, pod: PodDefinition) -> YAMLValue {
        .map([
            YAMLEntry("name", .string(name)),
            YAMLEntry("labels", .map([YAMLEntry(nameLabel, .string(KubeNames.label(pod.name)))])),
        ])
    }

    /// A secret's key inside its Secret: keys may hold `-`, `_`, `.` and letters and digits.
    static func secretKey(_ key: String) -> String {
        let valid =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy {
                ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0)
                    || "-_.".unicodeScalars.contains($0)
            }
        return valid ? key : KubeNames.label(key)
    }

    /// The spec, and comments for the document about what Kubernetes does differently.
    func podSpec(forceAlwaysRestart: Bool) -> (YAMLValue, [String]) {
        var comments: [String] = []
        let (restart, restartNote) = restartPolicy(forceAlways: forceAlwaysRestart)
        if let restartNote { comments.append(restartNote) }
        let grace = pod.services.compactMap(\.stopGracePeriodSeconds).max()
        let initContainers = order.initContainers.compactMap { pod.service(named: $0) }.map { container($0) }
        let containers = order.mainContainers.compactMap { pod.service(named: $0) }.map { container($0) }
        let volumes = volumes()
        let spec = YAMLValue.mapping(
            networkEntries() + [
                YAMLEntry("restartPolicy", .string(restart)),
                .optional(
                    "terminationGracePeriodSeconds", grace.map { .int($0) },
                    comments: ["The longest stop_grace_period of the pod's services."]),
                initContainers.isEmpty ? nil : YAMLEntry("initContainers", .list(initContainers)),
                YAMLEntry("containers", .list(containers)),
                volumes.isEmpty ? nil : YAMLEntry("volumes", .list(volumes)),
            ])
        return (spec, comments)
    }

    /// The Pod's one policy. A dependency the Pod cannot order (`KubeStartOrder.unexpressed`) is waited
    /// for by restarting: the dependent starts with the others, fails while what it needs is not up yet,
    /// and comes back until it is. So such a pod restarts on failure at least, even where compose said
    /// `restart: no`; `podman kube play` leaves a dependent exited under `Never` (KubeIntegrationTests).
    private func restartPolicy(forceAlways: Bool) -> (String, String?) {
        let policies = Set(pod.services.map(\.restart.description))
        let waitsByRestarting = !order.unexpressed.isEmpty
        let wanted: String
        if pod.services.allSatisfy({ $0.restart == .no }) {
            wanted = waitsByRestarting ? "OnFailure" : "Never"
        } else if pod.services.contains(where: { $0.restart == .always || $0.restart == .unlessStopped }) {
            wanted = "Always"
        } else {
            wanted = "OnFailure"
        }
        let chosen = forceAlways ? "Always" : wanted
        if chosen != wanted {
            return (
                chosen,
                "restartPolicy Always: a Deployment allows no other (compose asked for \(policies.sorted().joined(separator: ", ")))."
            )
        }
        if waitsByRestarting && policies == ["no"] {
            return (
                chosen,
                "restartPolicy OnFailure, though compose says restart: no: a container that needs another "
                    + "starts with it and is restarted until that one answers (so, unlike compose, a container "
                    + "that fails later is restarted too)."
            )
        }
        if policies.count > 1 {
            return (
                chosen,
                "restartPolicy \(chosen): a Pod has one policy; compose set \(policies.sorted().joined(separator: ", ")) per service."
            )
        }
        return (chosen, nil)
    }

    private func volumes() -> [YAMLValue] {
        var list: [YAMLValue] = []
        // A config podstack writes is a file, whether or not `up` has written it yet.
        let writtenConfigs = Set(pod.services.flatMap(\.configs).filter { $0.written != nil }.map(\.hostPath))
        for (source, name) in bindVolumes.sorted(by: { $0.value < $1.value }) {
            let type: String?
            switch writtenConfigs.contains(source) ? .file : hostPathKind(source) {
            // podstack up creates a missing data directory; DirectoryOrCreate does the same on the node.
            case .directory, .missing: type = "DirectoryOrCreate"
            case .file: type = "File"
            case .other: type = nil
            }
            let hostPath = YAMLValue.mapping([
                YAMLEntry("path", .string(source)), .optional("type", type.map { .string($0) }),
            ])
            let comments =
                writtenConfigs.contains(source)
                ? [
                    "A config that podstack up writes (from content:, environment: or a file given a mode); run it once first."
                ]
                : []
            list.append(
                .map([YAMLEntry("name", .string(name), comments: comments), YAMLEntry("hostPath", hostPath)]))
        }
        for (podmanName, name) in namedVolumes.sorted(by: { $0.value < $1.value }) {
            let external = pod.volumes.first { $0.name == podmanName }?.external ?? false
            list.append(
                .map([
                    YAMLEntry(
                        "name", .string(name),
                        comments: external ? ["External volume \(podmanName): its claim must exist already."] : []),
                    YAMLEntry(
                        "persistentVolumeClaim", .map([YAMLEntry("claimName", .string(KubeNames.label(podmanName)))])),
                ]))
        }
        for (key, name) in secretVolumes.sorted(by: { $0.value < $1.value }) {
            guard let secret = pod.secret(key: key) else { continue }
            let mode = pod.services.flatMap(\.secrets).first { $0.source == key }?.mode
            let itemKey = Self.secretKey(key)
            list.append(
                .map([
                    YAMLEntry("name", .string(name)),
                    YAMLEntry(
                        "secret",
                        .mapping([
                            YAMLEntry("secretName", .string(KubeNames.label(secret.name))),
                            YAMLEntry(
                                "items",
                                .list([.map([YAMLEntry("key", .string(itemKey)), YAMLEntry("path", .string(itemKey))])])
                            ),
                            .optional("defaultMode", mode.map { .int($0) }),
                        ])),
                ]))
        }
        return list
    }
}
