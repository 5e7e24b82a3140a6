import Foundation
import PodmanAPI
import PodstackCompose

/// One row of `podstack ps`.
public struct ServiceStatus: Sendable, Codable {
    public var pod: String
    public var service: String
    public var container: String
    /// Podman's state, or `missing` when the stack defines the service and no container exists, or
    /// `orphan` for a container of the stack that its files no longer define.
    public var state: String
    public var health: String?
    public var ports: [String]
    public var uptimeSeconds: Int?
    /// False when the container was made from another version of the definition.
    public var upToDate: Bool?
}

extension StackRunner {
    /// `podstack ps`: every service of the selected pods, including those that should exist and do not.
    public func status(_ pods: [PodDefinition]) async throws -> [ServiceStatus] {
        do {
            var rows: [ServiceStatus] = []
            for pod in pods {
                let live = try await client.listContainers(labels: [StackLabels.selector(pod: pod.name)])
                // Asked only for a pod with a port whose host port Podman picked, so that others cost nothing more.
                var bindings: [String: [Podman.PodInspect.HostBinding]]?
                if pod.portMappings.contains(where: \.hostPortIsPicked), try await client.podExists(pod.name) {
                    bindings = try await client.inspectPod(pod.name).infraConfig?.portBindings
                }
                let byService = Dictionary(
                    live.compactMap { c in c.labels?[StackLabels.service].map { ($0, c) } },
                    uniquingKeysWith: { a, _ in a })
                for service in pod.services {
                    // A service with a network namespace of its own publishes its ports itself.
                    let published =
                        pod.servicesHaveOwnNetworks
                        ? Podman.PodInspect.HostBinding.bindings(of: byService[service.name]?.ports) : bindings
                    let ports = service.ports.map { $0.publishedText(bindings: published) }
                    guard let container = byService[service.name] else {
                        rows.append(
                            ServiceStatus(
                                pod: pod.name, service: service.name, container: service.containerName,
                                state: "missing", health: nil, ports: ports, uptimeSeconds: nil, upToDate: nil))
                        continue
                    }
                    let inspect = try? await client.inspectContainer(container.name)
                    let health = inspect?.state.health?.status.text
                    let running = container.state == .running
                    let uptime = running ? container.startedAt.map { Int(Date().timeIntervalSince1970) - Int($0) } : nil
                    rows.append(
                        ServiceStatus(
                            pod: pod.name, service: service.name, container: container.name,
                            state: container.state?.text ?? "unknown",
                            health: (health?.isEmpty ?? true) ? nil : health, ports: ports, uptimeSeconds: uptime,
                            upToDate: StackRunner.madeFrom(container.labels?[StackLabels.configHash], service)))
                }
                let defined = Set(pod.services.map(\.name))
                for container in live where !defined.contains(container.labels?[StackLabels.service] ?? "") {
                    rows.append(
                        ServiceStatus(
                            pod: pod.name, service: container.labels?[StackLabels.service] ?? "?",
                            container: container.name, state: "orphan", health: nil, ports: [], uptimeSeconds: nil,
                            upToDate: nil))
                }
            }
            return rows
        } catch {
            try PodstackError.rethrow(error, during: "reading the stack's state")
        }
    }
}

extension PortMapping {
    /// `127.0.0.1:8080->80/tcp`, as `ps` and `up`'s report show a published port.
    var publishedText: String { "\(hostIP):\(hostPort)->\(containerPort)/\(`protocol`.rawValue)" }

    /// As `publishedText`, with the host port Podman picked for a port published without one, read from
    /// the pod's bindings (`?` when the pod has none for it, as when it does not exist).
    func publishedText(bindings: [String: [Podman.PodInspect.HostBinding]]?) -> String {
        guard hostPortIsPicked else { return publishedText }
        let candidates = bindings?["\(containerPort)/\(`protocol`.rawValue)"] ?? []
        let picked = (candidates.first { $0.hostIP == hostIP } ?? candidates.first)?.hostPort ?? "?"
        return "\(hostIP):\(picked)->\(containerPort)/\(`protocol`.rawValue)"
    }
}
