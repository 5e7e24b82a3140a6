import PodstackCompose

/// One service of a pod whose services have network namespaces of their own (`PodDefinition.networks`),
/// written as a Pod of its own: a Kubernetes Pod always shares one network namespace between its containers,
/// so such a pod cannot be one Pod. Services that join its namespace (`network_mode: service:NAME`) are
/// further containers of its Pod, which is exactly what a Pod shares.
///
/// How the services still find each other at `http://<service>:<port>`, seen under `podman kube play` on
/// Podman 4.3.1 and 5.4.2 (KubeNetworkIntegrationTests): kube play puts every Pod on one network with DNS
/// (podman-default-kube-network, or what `--network` names), where a Pod's name resolves (4.3 gives no other
/// name; 5.x adds its containers' names). Each Pod is named `<service>.<domain>` and searches `<domain>`, so
/// `db` is looked up as `db.<domain>`: the Pod of service `db`. On a cluster, a headless Service per name does
/// it (`KubeExporter.nameServices`); kube play skips Services.
struct KubeOwnNetwork {
    static let componentLabel = "app.kubernetes.io/component"

    let pod: PodDefinition
    /// The service whose namespace this is.
    let service: ServiceDefinition
    /// It, then the services that join its namespace, in start order.
    let members: [ServiceDefinition]
    /// The Pod's name without its service: the pod's name, with `-pod` under a Deployment, since kube play
    /// names a Deployment's Pod `<deployment>-pod`.
    let searchDomain: String

    init(pod: PodDefinition, service: ServiceDefinition, members: [ServiceDefinition], deployment: Bool) {
        self.pod = pod
        self.service = service
        self.members = members
        searchDomain = KubeNames.label(pod.name) + (deployment ? "-pod" : "")
    }

    /// One per namespace of the pod, in start order (`order`, the services' names): each service with its
    /// own, with the services that join it (`network_mode: service:NAME`, followed to the end).
    static func namespaces(of pod: PodDefinition, order: [String], deployment: Bool) -> [KubeOwnNetwork] {
        // A service stays its own owner when what it names is not in this pod, or names it back.
        func owner(_ name: String, _ seen: Set<String> = []) -> String {
            guard let mode = pod.service(named: name)?.addressing.networkMode, mode.hasPrefix("service:"),
                case let target = String(mode.dropFirst("service:".count)), pod.service(named: target) != nil,
                !seen.contains(target)
            else { return name }
            return owner(target, seen.union([name]))
        }
        let services = order.compactMap { pod.service(named: $0) }
        let owners = Dictionary(uniqueKeysWithValues: services.map { ($0.name, owner($0.name)) })
        // In a cycle (which the loader refuses) the owner found may own nothing: then a service is its own.
        let roots = Set(services.map(\.name).filter { owners[$0] == $0 })
        func root(_ name: String) -> String { owners[name].flatMap { roots.contains($0) ? $0 : nil } ?? name }
        return services.filter { root($0.name) == $0.name }.map { service in
            KubeOwnNetwork(
                pod: pod, service: service,
                members: [service] + services.filter { $0.name != service.name && root($0.name) == service.name },
                deployment: deployment)
        }
    }

    /// Whether the service has a name on the pod's networks: not on `network_mode: host` or `none` (SearXNG's
    /// caddy), where compose gives it none; such a Pod gets no name Service and no search domain.
    var hasNetworkName: Bool { !["host", "none"].contains(service.addressing.networkMode) }

    /// The workload's name, `<service>.<pod>`: a DNS name of two labels, which Kubernetes allows for Pods and
    /// Deployments and Podman for pods.
    var workloadName: String { KubeNames.label(service.name) + "." + KubeNames.label(pod.name) }

    /// The label every Pod of the pod carries.
    var podLabel: YAMLEntry { YAMLEntry(KubePodBuilder.nameLabel, .string(KubeNames.label(pod.name))) }

    /// Labels that select this service's Pod alone: the pod's name label and the service's.
    var selector: [YAMLEntry] { [podLabel, YAMLEntry(Self.componentLabel, .string(KubeNames.label(service.name)))] }

    /// The Pod's labels: its selector, and one per alias, which the alias's Service selects, so that an alias
    /// several services share (the replicas of one, `deploy.replicas`) reaches all of them, as in compose.
    var labels: [YAMLEntry] { selector + aliases.map(Self.aliasLabel) }

    static func aliasLabel(_ alias: String) -> YAMLEntry {
        YAMLEntry("alias.podstack.io/" + KubeNames.label(alias), .string("true"))
    }

    /// Every name the service answers to besides its own: its aliases, on whichever network. (Its
    /// `addressing.aliases` also hold the names its `links` give other services, so they are not read.)
    var aliases: [String] {
        var seen: Set<String> = [service.name]
        return service.addressing.networkAttachments.flatMap(\.aliases).filter { seen.insert($0).inserted }
    }

    /// What the service's `networks:` asks that neither Kubernetes nor kube play can give one Pod.
    var attachmentNotes: [String] {
        var notes: [String] = []
        for attachment in service.addressing.networkAttachments {
            if let fixed = attachment.ipv4Address {
                notes.append(
                    "address \(fixed) on network \(attachment.network): a Pod's address is its "
                        + "network's to give (podman kube play --ip hands addresses to the Pods in document order).")
            }
        }
        if !KubeNames.isLabel(service.name) {
            notes.append(
                "service name \(service.name): Kubernetes names cannot hold '_', '.' or capitals, so the others "
                    + "reach this service as \(KubeNames.label(service.name)).")
        }
        if !aliases.isEmpty {
            notes.append(
                "aliases \(aliases.joined(separator: ", ")): on a cluster, the headless Service of each name selects "
                    + "this Pod; under podman kube play a Pod answers only to its own name, so these do not resolve.")
        }
        return notes
    }

    /// The comments that open the pod's documents: why it is a Pod per service, how the names resolve, and
    /// what of its networks cannot be carried.
    static func podNotes(_ pod: PodDefinition, sidecars: Bool) -> [String] {
        let why = pod.ownNetworkReason.map { " (\($0.sentence))" } ?? ""
        let domain = KubeNames.label(pod.name)
        var notes = [
            "Pod '\(pod.name)' from \(pod.sourceFile): its services each have a network namespace of their own\(why).",
            "A Kubernetes Pod shares one, so each service is a Pod of its own here, named <service>.\(domain).",
            "A service reaches another at its name: each Pod searches the domain \(domain), so <service> is looked up as",
            "<service>.\(domain), the Pod's name on kube play's network; on a cluster, the headless Service of that name",
            "answers (kube play skips Services). Ports are published per Pod.",
        ]
        let names = pod.networks.map(\.name).joined(separator: ", ")
        let onOne =
            "podman kube play puts every Pod on one network (podman-default-kube-network, or `podman kube play "
            + "--network NAME`), and a Pod spec names none"
        notes.append(
            pod.networks.count > 1
                ? "networks \(names): \(onOne); so every service reaches every other here, whichever networks compose gave it."
                : "network \(names): \(onOne).")
        for network in pod.networks {
            if network.external {
                notes.append(
                    "network \(network.name) is external: `podman kube play --network \(network.name) FILE` puts the Pods on it."
                )
            }
            if network.isInternal {
                notes.append(
                    "network \(network.name) is internal (no route out): neither a Pod spec nor kube play can say so.")
            }
            if !network.subnets.isEmpty {
                notes.append(
                    "network \(network.name)'s subnets \(network.subnets.map(\.subnet).joined(separator: ", ")): the "
                        + "network kube play uses, or the cluster's, gives the addresses.")
            }
            if !network.labels.isEmpty {
                notes.append(
                    "network \(network.name)'s labels \(network.labels.keys.sorted().joined(separator: ", ")): there is "
                        + "no network here to carry them.")
            }
        }
        if sidecars {
            notes.append(
                "--sidecars orders the containers of one Pod; these Pods wait for each other by restarting, as said.")
        }
        return notes
    }
}
