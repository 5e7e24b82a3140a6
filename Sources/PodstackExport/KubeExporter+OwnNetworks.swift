import PodstackCompose

extension KubeExporter {
    /// A pod whose services have network namespaces of their own, as Kubernetes can run it: its claims and
    /// secrets once, then per service (dependencies first, so kube play creates them first) the headless
    /// Services of its names and a Pod (or Deployment) of its own (`KubeOwnNetwork`).
    func ownNetworkDocuments(for pod: PodDefinition, graph: DependencyGraph) throws -> [YAMLDocument] {
        let whole = KubePodBuilder(
            pod: pod, order: KubeStartOrder(pod: pod, graph: graph, sidecars: false), hostPathKind: hostPathKind)
        var documents = claims(for: pod, builder: whole) + (try secrets(for: pod, builder: whole))
        documents.append(YAMLDocument(comments: KubeOwnNetwork.podNotes(pod, sidecars: options.sidecars), value: nil))
        var named: Set<String> = []
        let namespaces = KubeOwnNetwork.namespaces(
            of: pod, order: graph.levels.flatMap { $0 }, deployment: options.workload == .deployment)
        for own in namespaces {
            var alone = pod
            alone.services = own.members
            let builder = KubePodBuilder(
                pod: alone, order: KubeStartOrder(alone: own.members), hostPathKind: hostPathKind, ownNetwork: own)
            let joined = own.members.dropFirst().map { "'\($0.name)'" }
            if own.hasNetworkName {
                documents += nameServices(for: own, taken: &named)
            } else {
                documents.append(
                    YAMLDocument(
                        comments: [
                            "Service '\(own.service.name)' is on network_mode \(own.service.addressing.networkMode ?? ""): "
                                + "it has no name on the pod's networks, so no Service for it."
                        ], value: nil))
            }
            documents.append(
                workload(
                    own.workloadName, labels: own.labels,
                    comments: [
                        "Service '\(own.service.name)' of pod '\(pod.name)', a Pod of its own"
                            + (joined.isEmpty
                                ? "." : "; its network namespace is also that of \(joined.joined(separator: ", ")).")
                    ], builder: builder))
        }
        return documents
    }

    /// A headless Service (no address of its own: the name resolves to the Pods', on every port) for the
    /// service's name and for each alias, so that `http://<name>:<port>` works on a cluster as in compose. An
    /// alias's Service selects every Pod with that alias, and is written once; an alias that is another
    /// service's name is said, not written.
    private func nameServices(for own: KubeOwnNetwork, taken: inout Set<String>) -> [YAMLDocument] {
        let names =
            [(own.service.name, own.selector)]
            + own.aliases.map { ($0, [own.podLabel, KubeOwnNetwork.aliasLabel($0)]) }
        return names.compactMap { name, selector in
            let label = KubeNames.label(name)
            let isAlias = name != own.service.name
            let serviceNamed = own.pod.services.first { KubeNames.label($0.name) == label }
            if isAlias, let serviceNamed {
                return YAMLDocument(
                    comments: [
                        "The alias \(name) of service '\(own.service.name)' is service '\(serviceNamed.name)'s name: no Service for it."
                    ],
                    value: nil)
            }
            guard taken.insert(label).inserted else {
                // An alias's Service, written for the first service with it, selects this Pod too.
                return isAlias
                    ? nil
                    : YAMLDocument(
                        comments: [
                            "The name \(name) of service '\(own.service.name)' is another service's already: no Service for it."
                        ],
                        value: nil)
            }
            // A Service's name is an RFC 1035 label: it starts with a letter.
            guard label.first?.isLetter == true else {
                return YAMLDocument(
                    comments: [
                        "The name \(name) of service '\(own.service.name)': a Service's name must start with a letter, so none has it."
                    ], value: nil)
            }
            let renamed = label == name ? [] : [" (as \(label): Kubernetes names cannot hold '_', '.' or capitals)"]
            let whose = isAlias ? "for every service with alias \(name)" : "for service '\(own.service.name)'"
            return YAMLDocument(
                comments: ["The name \(name)\(renamed.joined()) \(whose) on a cluster; podman kube play skips it."],
                value: .map([
                    YAMLEntry("apiVersion", .string("v1")),
                    YAMLEntry("kind", .string("Service")),
                    YAMLEntry(
                        "metadata",
                        .map([
                            YAMLEntry("name", .string(label)),
                            YAMLEntry("labels", .map([own.podLabel])),
                        ])),
                    YAMLEntry(
                        "spec",
                        .map([
                            YAMLEntry("clusterIP", .string("None")),
                            YAMLEntry("selector", .map(selector)),
                        ])),
                ]))
        }
    }
}
