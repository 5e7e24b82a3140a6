import Foundation
import PodmanAPI
import PodstackCompose

extension StackRunner {
    /// Every pod and container name `up` would make, checked before anything is made: a pod or container
    /// of that name that is not this stack's is reported (the first found) and nothing changes. A
    /// container counts as this stack's only when it carries the pod's and service's labels and is in the
    /// pod: one outside it with copied labels is someone else's, not to be adopted.
    func checkNames(_ pods: [PodDefinition]) async throws {
        try checkContainersNamedAsPods(pods)
        let containers = try await client.listContainers(includeInfra: true)
        for pod in pods {
            var podID: String?
            if try await client.podExists(pod.name) {
                let inspect = try await client.inspectPod(pod.name)
                guard inspect.labels?[StackLabels.stack] == pod.name else {
                    throw PodstackError.nameTaken(kind: "pod", name: pod.name)
                }
                podID = inspect.id
            }
            try await checkNetworkNames(pod)
            for service in pod.services {
                guard let holder = containers.first(where: { $0.names?.contains(service.containerName) == true })
                else { continue }
                guard Self.isMember(holder, of: pod.name, podID: podID, service: service.name) else {
                    throw PodstackError.nameTaken(kind: "container", name: service.containerName)
                }
            }
        }
    }

    /// Podman 4 refuses a container named as its pod once the pod exists (awesome-compose's fastapi-ollama
    /// sets `container_name` to the project's name; 5.x takes it), so `up` says so before making anything.
    private func checkContainersNamedAsPods(_ pods: [PodDefinition]) throws {
        guard let major = Int(connection.apiVersion.prefix { $0 != "." }), major < 5 else { return }
        for pod in pods {
            guard let service = pod.services.first(where: { $0.containerName == pod.name }) else { continue }
            throw PodstackError.containerNamedAsPod(
                service: service.name, location: service.location.description, podmanVersion: connection.apiVersion)
        }
    }

    /// The pod's networks: an external one exists, and one podstack makes is this pod's if it exists.
    private func checkNetworkNames(_ pod: PodDefinition) async throws {
        for network in pod.networks {
            let exists = try await client.networkExists(network.name)
            if network.external {
                guard exists else {
                    throw PodstackError.externalMissing(
                        kind: "network", name: network.name, create: "podman network create \(network.name)")
                }
            } else if exists, try await client.inspectNetwork(network.name).labels?[StackLabels.stack] != pod.name {
                throw PodstackError.nameTaken(kind: "network", name: network.name)
            }
        }
    }

    /// Made by this stack for this pod (its labels) and inside the pod (Podman's own record of it).
    static func isMember(
        _ container: Podman.ContainerSummary, of pod: String, podID: String?, service: String?
    )
        -> Bool
    {
        guard let podID, container.pod == podID, container.labels?[StackLabels.stack] == pod else { return false }
        return service == nil || container.labels?[StackLabels.service] == service
    }
}
