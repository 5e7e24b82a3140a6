import Foundation
import PodmanAPI
import PodstackCompose

/// The Podman networks of a pod whose services have network namespaces of their own
/// (`PodDefinition.networks`). Each carries the pod's stack label and a hash of its settings; `down` removes
/// them (a network holds no data), except those the file declares external.
struct PodNetworks: Sendable {
    let client: PodmanClient
    let events: StackEventSink

    /// On a network podstack made: a digest of the settings it was made from.
    static let settingsHash = "io.podstack.network-hash"

    /// Makes each network the pod needs that is missing, and makes anew one whose settings changed. Runs
    /// after the pod's old containers are gone (a changed network changes the pod's hash, so the pod is made
    /// anew): Podman refuses to remove a network a container is on. `podIsNew`: the pod is being made, so
    /// networks an earlier version of it had and this one does not are removed too.
    func ensure(_ pod: PodDefinition, podIsNew: Bool) async throws {
        if podIsNew { try await removeUnused(by: pod) }
        for network in pod.networks where !network.external {
            let hash = ConfigDigest.of(network)
            if try await client.networkExists(network.name) {
                let labels = try await client.inspectNetwork(network.name).labels ?? [:]
                guard labels[StackLabels.stack] == pod.name else {
                    throw PodstackError.nameTaken(kind: "network", name: network.name)
                }
                if labels[Self.settingsHash] == hash { continue }
                events(.step("network \(network.name): its settings changed, making it anew"))
                try await client.removeNetwork(network.name)
            } else {
                events(.step("creating network \(network.name)"))
            }
            var labels = network.labels
            labels[StackLabels.stack] = pod.name
            labels[Self.settingsHash] = hash
            _ = try await client.createNetwork(
                Podman.NetworkCreateSpec(
                    name: network.name, labels: labels, isInternal: network.isInternal ? true : nil,
                    subnets: network.subnets.isEmpty
                        ? nil : network.subnets.map { .init(subnet: $0.subnet, gateway: $0.gateway) }))
        }
    }

    /// The networks podstack made for the pod that its file no longer names (its services now share one
    /// namespace, or a network was renamed); a changed list of networks changed the pod's hash, so the old
    /// pod, whose containers were on them, is gone.
    private func removeUnused(by pod: PodDefinition) async throws {
        let wanted = Set(pod.networks.map(\.name))
        for network in try await client.listNetworks(labels: [StackLabels.selector(pod: pod.name)])
        where !wanted.contains(network.name) {
            events(.step("network \(network.name): no longer in \(pod.sourceFile), removing it"))
            try await client.removeNetwork(network.name)
        }
    }

    /// Removes the networks podstack made for the pod (found by its label, so one the file no longer names
    /// goes too); once its containers are gone.
    func removeAll(of pod: String) async throws -> [String] {
        var removed: [String] = []
        for network in try await client.listNetworks(labels: [StackLabels.selector(pod: pod)]) {
            do {
                try await client.removeNetwork(network.name)
                removed.append(network.name)
            } catch let error as PodmanError where (error.serverMessage ?? "").contains("network is being used") {
                // A container someone else put on the network: theirs to move; the network stays for it.
                // (Podman 4.3 and 5.4 answer 500 "... has associated containers with it ...: network is being used".)
                events(.warning("network \(network.name) is kept: a container that is not the pod's is on it"))
            }
        }
        return removed
    }
}
