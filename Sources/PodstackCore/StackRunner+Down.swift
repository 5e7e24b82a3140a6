import Foundation
import PodmanAPI
import PodstackCompose

/// What `down` did to one pod.
public struct PodTeardown: Sendable, Codable {
    public var pod: String
    public var wasUp: Bool
    public var stopped: [String]
    public var removedVolumes: [String]
    public var removedSecrets: [String]
}

extension StackRunner {
    /// `podstack down`: for each pod (in parallel), its services stopped in reverse dependency order, the
    /// services of one level in parallel with their own stop signal and grace period, then the pod removed.
    /// Bind-mounted data is never touched; named volumes and secrets go only with `removeVolumes`, after
    /// every pod is gone. A pod that holds a container podstack did not make is refused before anything
    /// stops, unless `removeForeign`: removing the pod would remove that container too.
    public func down(
        _ pods: [PodDefinition], removeVolumes: Bool, removeForeign: Bool = false
    ) async throws -> [PodTeardown] {
        do {
            if !removeForeign {
                for pod in pods {
                    let foreign = try await foreignContainers(in: pod)
                    if !foreign.isEmpty { throw PodstackError.foreignContainers(pod: pod.name, names: foreign) }
                }
            }
            var results = try await withThrowingTaskGroup(of: PodTeardown.self) { group in
                for pod in pods {
                    group.addTask { try await tearDown(pod) }
                }
                var results: [String: PodTeardown] = [:]
                for try await result in group { results[result.pod] = result }
                return pods.compactMap { results[$0.name] }
            }
            // Volumes and secrets go once every pod is gone, pod by pod: Podman 4.3 panics removing a pod
            // while a volume it used is removed beside it, and leaves that pod's lock held for good.
            if removeVolumes {
                let selected = Set(pods.map(\.name))
                for index in results.indices {
                    guard let pod = pods.first(where: { $0.name == results[index].pod }) else { continue }
                    try await removeData(of: pod, alsoGoing: selected, into: &results[index])
                }
            }
            return results
        } catch let error as PodstackError {
            throw error
        } catch {
            try PodstackError.rethrow(error, during: "taking the stack down")
        }
    }

    /// Whether pods of the stack other than those in `alsoGoing` declare this volume or secret: it is theirs
    /// too, and `down --volumes` of these pods keeps it, and says so.
    private func keptForOthers(
        _ kind: String, _ name: String, alsoGoing: Set<String>, declaredBy declares: (PodDefinition) -> Bool
    ) -> Bool {
        let others = stack.pods.filter { !alsoGoing.contains($0.name) && declares($0) }.map(\.name)
        guard !others.isEmpty else { return false }
        events(.step("kept \(kind) \(name): pod \(others.joined(separator: ", ")) uses it too"))
        return true
    }

    /// The containers in the pod that are neither its infra container nor labelled as this pod's by podstack.
    private func foreignContainers(in pod: PodDefinition) async throws -> [String] {
        guard try await client.podExists(pod.name) else { return [] }
        let inspect = try await client.inspectPod(pod.name)
        guard inspect.labels?[StackLabels.stack] == pod.name else { return [] }  // tearDown refuses the pod
        let ours = Set(try await client.listContainers(labels: [StackLabels.selector(pod: pod.name)]).map(\.id))
        return (inspect.containers ?? []).filter { $0.id != inspect.infraContainerID && !ours.contains($0.id) }
            .map(\.name).sorted()
    }

    private func tearDown(_ pod: PodDefinition) async throws -> PodTeardown {
        var result = PodTeardown(pod: pod.name, wasUp: false, stopped: [], removedVolumes: [], removedSecrets: [])
        let podExists = try await client.podExists(pod.name)
        if podExists, try await client.inspectPod(pod.name).labels?[StackLabels.stack] != pod.name {
            throw PodstackError.nameTaken(kind: "pod", name: pod.name)
        }
        let live = try await client.listContainers(labels: [StackLabels.selector(pod: pod.name)])
        result.wasUp = podExists || !live.isEmpty
        guard result.wasUp else {
            // An `up` that stopped before its pod was made may have made the pod's networks.
            try await removeNetworks(of: pod.name)
            events(.step("pod \(pod.name) is not up; nothing to do"))
            return result
        }
        for batch in Self.stopBatches(pod, live: live) where !batch.isEmpty {
            result.stopped += try await stop(batch, of: pod)
        }
        if podExists {
            try await removePod(pod.name)
        } else {
            for container in live { try await client.removeContainer(container.name, timeoutSeconds: 0) }
        }
        try await removeNetworks(of: pod.name)
        events(.step("pod \(pod.name) removed; data under its bind mounts is kept"))
        return result
    }

    /// The networks podstack made for the pod (none for a pod whose services share one namespace).
    private func removeNetworks(of pod: String) async throws {
        for network in try await PodNetworks(client: client, events: events).removeAll(of: pod) {
            events(.step("network \(network) removed"))
        }
    }

    private typealias Stoppable = (name: String, service: String, grace: Int)

    /// The order to stop in: containers no longer in the file first (nothing in the file depends on them),
    /// then the dependency levels from the top down; the containers of one batch stop together.
    private static func stopBatches(_ pod: PodDefinition, live: [Podman.ContainerSummary]) -> [[Stoppable]] {
        let byService = Dictionary(
            live.compactMap { c in c.labels?[StackLabels.service].map { ($0, c) } }, uniquingKeysWith: { a, _ in a })
        let defined = Set(pod.services.map(\.name))
        var batches: [[Stoppable]] = [
            live.filter { !defined.contains($0.labels?[StackLabels.service] ?? "") }.map {
                ($0.name, $0.labels?[StackLabels.service] ?? $0.name, 10)
            }
        ]
        let levels = (try? DependencyGraph(pod: pod).levels) ?? [pod.services.map(\.name)]
        for level in levels.reversed() {
            batches.append(
                level.compactMap { name in
                    guard let container = byService[name], let service = pod.service(named: name) else { return nil }
                    return (container.name, name, service.stopGracePeriodSeconds ?? 10)
                })
        }
        return batches
    }

    /// Stops one batch in parallel; returns the containers stopped, in the order they stopped.
    private func stop(_ batch: [Stoppable], of pod: PodDefinition) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            for (name, service, grace) in batch {
                group.addTask {
                    events(.service(pod: pod.name, service: service, phase: .stopping, detail: nil))
                    try await client.stopContainer(name, timeoutSeconds: grace)
                    events(.service(pod: pod.name, service: service, phase: .stopped, detail: nil))
                    return name
                }
            }
            var stopped: [String] = []
            for try await name in group { stopped.append(name) }
            return stopped
        }
    }

    private func removePod(_ name: String) async throws {
        do {
            try await client.removePod(name, timeoutSeconds: 0)
        } catch PodmanError.http(let status, _, _, _) where status == 500 {
            // Podman 4.3 can panic (a nil pointer) removing a pod while a volume it used is removed beside it
            // (`down` now removes volumes only after every pod); the pod is then usually half gone. Asked once
            // more, as `podman pod rm` would be.
            try await Task.sleep(for: .milliseconds(500))
            if try await client.podExists(name) { try await client.removePod(name, timeoutSeconds: 0) }
        }
    }

    /// `down --volumes`: the named volumes and secrets podstack made for this pod, except those another pod
    /// of the stack that stays up declares too.
    private func removeData(
        of pod: PodDefinition, alsoGoing: Set<String>, into result: inout PodTeardown
    )
        async throws
    {
        for volume in try await client.listVolumes(labels: [StackLabels.selector(pod: pod.name)]) {
            let declared = { (pod: PodDefinition) in pod.volumes.contains { $0.name == volume.name } }
            if keptForOthers("volume", volume.name, alsoGoing: alsoGoing, declaredBy: declared) { continue }
            try await client.removeVolume(volume.name)
            result.removedVolumes.append(volume.name)
        }
        // Only the secrets podstack made for this pod (labelled at creation); one the user made
        // under the same name is theirs. The list does not carry labels on Podman 4.3; inspect does.
        // Configs given an owner are secrets named by their text; those of texts the file no longer has go too.
        // A secret made beforehand (an external config) is the user's, whatever labels it has.
        let secretNames = Set(pod.secrets.filter { $0.source != .external }.map(\.name))
        let external = Set(pod.secrets.filter { $0.source == .external }.map(\.name))
        let configSecret = { (name: String) in name.hasPrefix(pod.name + "_config_") }
        for secret in try await client.listSecrets()
        where !external.contains(secret.name) && (secretNames.contains(secret.name) || configSecret(secret.name)) {
            // A secret podstack made for two pods is gone once the first of them removed it; finding it
            // gone between the list and this look is no error.
            let labels: [String: String]?
            do {
                labels = try await client.inspectSecret(secret.name).spec?.labels
            } catch let error as PodmanError where error.httpStatus == 404 {
                continue
            }
            guard labels?[StackLabels.stack] == pod.name else { continue }
            let declared = { (pod: PodDefinition) in pod.secrets.contains { $0.name == secret.name } }
            if keptForOthers("secret", secret.name, alsoGoing: alsoGoing, declaredBy: declared) { continue }
            try await client.removeSecret(secret.name)
            result.removedSecrets.append(secret.name)
        }
    }
}
