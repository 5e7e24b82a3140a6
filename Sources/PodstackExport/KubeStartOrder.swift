import PodstackCompose

/// How a pod's `depends_on` maps onto one Kubernetes Pod, as far as Kubernetes allows.
///
/// A Pod starts its regular containers together, in no order. Two things do order them:
/// - plain init containers run one after another, each to completion, before any regular container starts:
///   exactly `service_completed_successfully`, as long as what the job needs is an init container too;
/// - native sidecars (init containers with `restartPolicy: Always`, Kubernetes 1.29 and later) start in
///   order and keep running, and the next one starts only when a sidecar's startup probe has passed:
///   exactly `service_started`, and `service_healthy` when the startup probe is the health check.
/// Sidecars are opt-in (`--sidecars`) because `podman kube play` (4.x) runs every init container to
/// completion and would wait forever on a server; plain init jobs it does run first (KubeIntegrationTests
/// plays one). Whatever cannot be expressed is
/// listed in `unexpressed`, and the writer says so in a comment on the dependent container.
struct KubeStartOrder {
    enum Role: Equatable {
        /// A plain init container: runs to completion first.
        case job
        /// A native sidecar; `gated` when a dependent needs it healthy, so its startup probe holds back
        /// what comes after it.
        case sidecar(gated: Bool)
        /// A regular container.
        case main
    }

    /// Init containers, in start order.
    let initContainers: [String]
    let mainContainers: [String]
    let roles: [String: Role]
    /// Per dependent service, the dependencies this Pod cannot make it wait for.
    let unexpressed: [String: [Dependency]]
    /// True for a service that is a Pod of its own (`init(alone:)`): what it needs runs in other Pods.
    private(set) var acrossPods = false

    init(pod: PodDefinition, graph: DependencyGraph, sidecars: Bool) {
        let order = graph.levels.flatMap { $0 }
        var conditions: [String: Set<Dependency.Condition>] = [:]
        for service in pod.services {
            for dependency in service.dependsOn where graph.services.contains(dependency.service) {
                conditions[dependency.service, default: []].insert(dependency.condition)
            }
        }
        var roles: [String: Role] = [:]
        for name in order {
            guard let needed = conditions[name] else {
                roles[name] = .main
                continue
            }
            if sidecars {
                // Everything before it in `order` that it needs is an init container already.
                let gated = needed.contains(.healthy) && pod.service(named: name)?.healthcheck != nil
                roles[name] = needed.contains(.completedSuccessfully) ? .job : .sidecar(gated: gated)
            } else {
                // A job can only run first if what it needs ran first as well.
                let runsFirst = graph.directDependencies(of: name).allSatisfy { roles[$0] == .job }
                roles[name] = needed.contains(.completedSuccessfully) && runsFirst ? .job : .main
            }
        }
        var unexpressed: [String: [Dependency]] = [:]
        for service in pod.services {
            let missing = service.dependsOn.filter { dependency in
                guard let role = roles[dependency.service] else { return false }
                return !Self.expresses(role, dependency.condition)
            }
            if !missing.isEmpty { unexpressed[service.name] = missing }
        }
        self.roles = roles
        self.initContainers = order.filter { roles[$0] != .main }
        self.mainContainers = order.filter { roles[$0] == .main }
        self.unexpressed = unexpressed
    }

    private static func expresses(_ role: Role, _ condition: Dependency.Condition) -> Bool {
        switch (role, condition) {
        case (.job, _): true
        case (.sidecar, .started): true
        case (.sidecar(let gated), .healthy): gated
        case (.sidecar, .completedSuccessfully), (.main, _): false
        }
    }
}

extension KubeStartOrder {
    /// The containers of one Pod in a pod whose services have network namespaces of their own
    /// (`KubeExporter.ownNetworkDocuments`): a service and those that join its namespace. Pods do not wait
    /// for each other, nor, without init containers, do a Pod's containers; so every dependency is
    /// unexpressed, and a dependent waits by restarting as a container of an unordered Pod does.
    init(alone services: [ServiceDefinition]) {
        initContainers = []
        mainContainers = services.map(\.name)
        roles = Dictionary(uniqueKeysWithValues: services.map { ($0.name, Role.main) })
        unexpressed = Dictionary(
            uniqueKeysWithValues: services.filter { !$0.dependsOn.isEmpty }.map { ($0.name, $0.dependsOn) })
        acrossPods = true
    }
}
