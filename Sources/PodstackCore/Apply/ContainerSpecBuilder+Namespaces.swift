import PodmanAPI
import PodstackCompose

extension ContainerSpecBuilder {
    /// The container's hostname when its pod shares no UTS namespace, and its `pid`, `ipc` and `uts`
    /// choices; each is sent only when the file sets it, so that other services' bodies stay as they were.
    static func applyNamespaces(
        _ service: ServiceDefinition, in pod: PodDefinition, to spec: inout Podman.ContainerCreateSpec
    ) {
        spec.hostname = pod.network.hostnamePerService[service.name]
        spec.pidns = namespace(service, \.pid, in: pod)
        spec.ipcns = namespace(service, \.ipc, in: pod)
        spec.utsns = namespace(service, \.uts, in: pod)
    }

    /// `service:NAME` where NAME is on the host's namespace (itself or through the services it joins) is the
    /// host's namespace: joining it through NAME's container fails rootless on Podman 4.3.1 ("can't get final
    /// child's PID from pipe"; PodNamespacesIntegrationTests.namespaces).
    private static func namespace(
        _ service: ServiceDefinition, _ kind: KeyPath<ServiceNamespaces, ServiceNamespaces.Mode?>,
        in pod: PodDefinition
    ) -> Podman.Namespace? {
        var mode = service.namespaces[keyPath: kind]
        // Followed through services that join others in turn, at most once per service (the loader has
        // refused cycles, as they are dependency cycles).
        var target = mode
        for _ in pod.services {
            guard case .service(let name) = target else { break }
            target = pod.service(named: name)?.namespaces[keyPath: kind]
        }
        if target == .host { mode = .host }
        switch mode {
        case nil: return nil
        case .host: return Podman.Namespace(nsmode: "host")
        case .private: return Podman.Namespace(nsmode: "private")
        case .shareable: return Podman.Namespace(nsmode: "shareable")
        case .privateWithoutShm: return Podman.Namespace(nsmode: "none")
        case .service(let name):
            return Podman.Namespace(nsmode: "container", value: pod.service(named: name)?.containerName ?? name)
        }
    }
}
