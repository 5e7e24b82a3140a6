/// The order in which a pod's services start: level 0 has no dependencies, each later level depends only
/// on earlier ones, so a level can start in parallel once the levels before it are ready. `down` walks
/// the levels backwards.
public struct DependencyGraph: Sendable, Hashable {
    /// Service names, level by level; within a level, in file order.
    public let levels: [[String]]
    /// Service names in file order.
    public let services: [String]
    private let directDependencies: [String: [String]]
    /// `[dependent, dependency]` pairs whose depends_on says `restart: false`.
    private let notRestarted: Set<[String]>

    /// Fails when a dependency names a service that is not in the pod (unless `required: false`, which is
    /// then left out) or when dependencies form a cycle, naming the cycle.
    public init(pod: PodDefinition) throws(StackLoadError) {
        services = pod.services.map(\.name)
        let known = Set(services)
        var issues: [StackIssue] = []
        var edges: [String: [String]] = [:]
        var notRestarted = Set<[String]>()
        for service in pod.services {
            edges[service.name] = []
            for dependency in service.dependsOn {
                if dependency.restart == false { notRestarted.insert([service.name, dependency.service]) }
                if known.contains(dependency.service) {
                    if edges[service.name]?.contains(dependency.service) == false {
                        edges[service.name]?.append(dependency.service)
                    }
                } else if dependency.required {
                    issues.append(
                        StackIssue(
                            location: service.location,
                            message: "service '\(service.name)' depends on unknown service '\(dependency.service)'"))
                }
            }
        }
        directDependencies = edges
        self.notRestarted = notRestarted
        issues += Self.cycles(services: pod.services, edges: edges)
        guard issues.isEmpty else { throw StackLoadError(issues: issues) }
        levels = Self.levels(services: services, edges: edges)
    }

    /// Every service that `service` needs, directly or not, in start order.
    public func dependencies(of service: String) -> [String] {
        let needed = closure(from: service) { directDependencies[$0] ?? [] }
        return levels.flatMap { $0 }.filter { needed.contains($0) }
    }

    /// Every service that needs `service`, directly or not, in start order (stop them in reverse).
    public func dependents(of service: String) -> [String] {
        let needing = closure(from: service) { candidate in
            services.filter { directDependencies[$0]?.contains(candidate) == true }
        }
        return levels.flatMap { $0 }.filter { needing.contains($0) }
    }

    /// What `up` restarts after `service`'s container is made anew, so that they reconnect to it: every
    /// service that needs it, directly or not, in start order, except through a depends_on entry that says
    /// `restart: false`.
    public func dependentsToRestart(after service: String) -> [String] {
        let needing = closure(from: service) { candidate in
            services.filter {
                directDependencies[$0]?.contains(candidate) == true && !notRestarted.contains([$0, candidate])
            }
        }
        return levels.flatMap { $0 }.filter { needing.contains($0) }
    }

    /// The services `service` names in depends_on that are in the pod, in the order written.
    public func directDependencies(of service: String) -> [String] {
        directDependencies[service] ?? []
    }

    private func closure(from start: String, next: (String) -> [String]) -> Set<String> {
        var seen = Set<String>()
        var pending = next(start)
        while let service = pending.popLast() {
            guard seen.insert(service).inserted else { continue }
            pending += next(service)
        }
        seen.remove(start)
        return seen
    }

    private static func levels(services: [String], edges: [String: [String]]) -> [[String]] {
        var level: [String: Int] = [:]
        // Services come in file order, but a dependency may be written after its dependent, so repeat until
        // every level is known; the graph has no cycle, so each pass fixes at least one more service.
        while level.count < services.count {
            for service in services where level[service] == nil {
                let dependencyLevels = (edges[service] ?? []).map { level[$0] }
                guard !dependencyLevels.contains(where: { $0 == nil }) else { continue }
                level[service] = (dependencyLevels.compactMap { $0 }.max() ?? -1) + 1
            }
        }
        let depth = (level.values.max() ?? -1) + 1
        return (0..<depth).map { index in services.filter { level[$0] == index } }
    }

    /// One issue per distinct cycle, written from the first of its services in file order:
    /// "dependency cycle: a -> b -> a".
    private static func cycles(services: [ServiceDefinition], edges: [String: [String]]) -> [StackIssue] {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        var found: [[String]] = []
        var seenCycles = Set<Set<String>>()

        func visit(_ service: String) {
            marks[service] = .visiting
            path.append(service)
            for dependency in edges[service] ?? [] {
                switch marks[dependency] {
                case .visiting:
                    if let start = path.firstIndex(of: dependency) {
                        let cycle = Array(path[start...])
                        if seenCycles.insert(Set(cycle)).inserted { found.append(cycle + [dependency]) }
                    }
                case .done:
                    continue
                case nil:
                    visit(dependency)
                }
            }
            path.removeLast()
            marks[service] = .done
        }

        for service in services where marks[service.name] == nil { visit(service.name) }
        return found.map { cycle in
            StackIssue(
                location: services.first { $0.name == cycle[0] }?.location,
                message: "dependency cycle: \(cycle.joined(separator: " -> "))",
                hint: "remove one of these depends_on entries")
        }
    }
}
