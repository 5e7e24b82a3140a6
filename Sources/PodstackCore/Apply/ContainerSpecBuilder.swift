import Foundation
import PodmanAPI
import PodstackCompose

/// Turns the stack model into Podman's create specs.
///
/// Each builder walks every key of its part of the model (`ServiceDefinition.Key`, `ProcessSettings.Key`,
/// `ServiceAddressing.Key`) through a `switch` without `default:`, so that a key added to the model does
/// not build until it is decided here: set on the spec, or named with the reason it shapes no container.
/// A setting is sent only when the file sets it, so that the body of a service that does not use a key
/// stays as it was.
enum ContainerSpecBuilder {
    /// `group_add: [keep-groups]`, and what `up` adds for device nodes that open only through a group.
    static let keepGroups = "keep-groups"

    /// `hostGateway` is what `host-gateway` in extra_hosts becomes for this Podman (`HostGatewayAddress`).
    static func pod(_ pod: PodDefinition, hostGateway: String = HostEntry.hostGateway) -> Podman.PodCreateSpec {
        let ports = pod.servicesHaveOwnNetworks ? [] : portMappings(pod.portMappings)
        let network = pod.network
        var spec = Podman.PodCreateSpec(
            name: pod.name,
            labels: [
                StackLabels.stack: pod.name, StackLabels.portsHash: ConfigDigest.ports(pod),
                StackLabels.publishedPortsHash: ConfigDigest.publishedPorts(pod),
            ],
            portMappings: ports, hostname: network.hostnamePerService.isEmpty ? network.hostname ?? pod.name : nil)
        // Services that ask for different hostnames each get a UTS namespace of their own: Podman's default
        // sharing (ipc, net, uts, as its pod inspect shows) without uts.
        if !network.hostnamePerService.isEmpty { spec.sharedNamespaces = ["ipc", "net"] }
        spec.shmSize = pod.shmSizeBytes
        spec.userns = pod.usernsMode.map(userNamespace)
        // Services with network namespaces of their own share only IPC (and so the pod's /dev/shm); each
        // container has its addressing and ports (applyOwnNetwork).
        if pod.servicesHaveOwnNetworks {
            spec.hostname = nil
            spec.sharedNamespaces = ["ipc"]
            return spec
        }
        // The services' addressing, as the pod gathered it (`PodDefinition.network`).
        for key in ServiceAddressing.Key.allCases {
            switch key {
            case .hostname: break  // the pod's hostname, set above (or each container's: applyNamespaces)
            case .aliases, .extraHosts:
                spec.hostAdd = network.hosts.map { entry in
                    entry.address == HostEntry.hostGateway ? "\(entry.name):\(hostGateway)" : entry.podmanForm
                }
            case .networkMode: spec.netns = network.mode.map { Podman.Namespace(nsmode: $0) }
            case .dnsServers: spec.dnsServer = unlessEmpty(network.dnsServers)
            case .dnsSearch: spec.dnsSearch = unlessEmpty(network.dnsSearch)
            case .dnsOptions: spec.dnsOption = unlessEmpty(network.dnsOptions)
            case .networkAttachments: break  // only in a pod whose services have networks of their own (above)
            }
        }
        return spec
    }

    static func container(
        _ service: ServiceDefinition, in pod: PodDefinition, hostGateway: String = HostEntry.hostGateway
    ) -> Podman.ContainerCreateSpec {
        var spec = Podman.ContainerCreateSpec(name: service.containerName, image: service.image)
        spec.pod = pod.name
        for key in ServiceDefinition.Key.allCases { apply(key, of: service, in: pod, to: &spec) }
        if pod.servicesHaveOwnNetworks { applyOwnNetwork(service, in: pod, hostGateway: hostGateway, to: &spec) }
        return spec
    }

    static func portMappings(_ ports: [PortMapping]) -> [Podman.PortMapping] {
        ports.map {
            Podman.PortMapping(
                hostIP: $0.hostIP, hostPort: $0.hostPort, containerPort: $0.containerPort,
                protocol: $0.protocol.rawValue)
        }
    }

    private static func apply(
        _ key: ServiceDefinition.Key, of service: ServiceDefinition, in pod: PodDefinition,
        to spec: inout Podman.ContainerCreateSpec
    ) {
        switch key {
        case .name, .podName, .containerName, .image: break  // the spec's name, pod and image, set first
        case .command: spec.command = service.command
        case .entrypoint: spec.entrypoint = service.entrypoint
        case .environment: spec.env = unlessEmpty(service.environment)
        case .labels: spec.labels = labels(service, in: pod)
        case .profiles: break  // written with the labels, as io.podstack.profiles
        case .mounts: appendMounts(service.mounts, to: &spec)
        case .secrets: spec.secrets = unlessEmpty(secrets(service, in: pod))
        case .healthcheck: spec.healthConfig = healthConfig(service)
        case .healthcheckDisabled: break  // a check switched off is a health config too: healthConfig(_:)
        case .restart:
            switch service.restart {
            case .no: spec.restartPolicy = "no"
            case .always: spec.restartPolicy = "always"
            case .unlessStopped: spec.restartPolicy = "unless-stopped"
            case .onFailure(let retries):
                spec.restartPolicy = "on-failure"
                spec.restartTries = retries
            }
        case .stopSignal: spec.stopSignal = service.stopSignal.flatMap(SignalNames.number)
        case .stopGracePeriodSeconds: spec.stopTimeout = service.stopGracePeriodSeconds ?? 10
        case .user: spec.user = service.user
        case .workingDir:
            spec.workDir = service.workingDir
            if service.workingDir != nil { spec.createWorkingDir = true }
        case .process: applyProcess(service.process, to: &spec)
        case .devices: spec.devices = unlessEmpty(service.devices.map { .init(path: $0.path) })
        case .namespaces: applyNamespaces(service, in: pod, to: &spec)
        case .resources: spec.resourceLimits = resourceLimits(service.resources)
        case .logging: spec.logConfiguration = service.logging.map(logConfiguration)
        // Mounted as binds or secrets, which the loader already put in `mounts` and `secrets`.
        case .configs: break
        // The pod's user namespace, which every container of the pod joins: pod(_:).
        case .usernsMode: break
        // What security_opt wrote there (the process) stays: it is what Podman's inspect reports.
        case .annotations:
            spec.annotations = unlessEmpty((spec.annotations ?? [:]).merging(service.annotations) { ours, _ in ours })
        // What shapes the pod, not the container: pod(_:) publishes the ports and sets the addressing;
        // unless the services have network namespaces of their own: applyOwnNetwork(_:in:hostGateway:to:).
        case .ports, .addressing: break
        // Ordering and waiting, decided by PodApplier at each `up`.
        case .dependsOn: break
        // The image is built before anything is created (ImageBuild); the spec names it like any other.
        case .build: break
        // Only for messages.
        case .imageVariable, .location: break
        // When the image is pulled or built: StackPreparation, before anything is created.
        case .pullPolicy: break
        }
    }

    /// How the process runs; each setting is sent only when it differs from Podman's default.
    private static func applyProcess(_ process: ProcessSettings, to spec: inout Podman.ContainerCreateSpec) {
        func onlyTrue(_ value: Bool) -> Bool? { value ? true : nil }
        for key in ProcessSettings.Key.allCases {
            switch key {
            case .tmpfs:
                spec.mounts = unlessEmpty(
                    (spec.mounts ?? [])
                        + process.tmpfs.map {
                            .init(destination: $0.target, type: "tmpfs", source: "tmpfs", options: $0.options)
                        })
            case .tty: spec.terminal = onlyTrue(process.tty)
            case .stdinOpen: spec.stdin = onlyTrue(process.stdinOpen)
            case .initProcess: spec.initProcess = onlyTrue(process.initProcess)
            case .capAdd: spec.capAdd = unlessEmpty(process.capAdd)
            case .capDrop: spec.capDrop = unlessEmpty(process.capDrop)
            case .selinuxOptions:
                spec.selinuxOptions = unlessEmpty(process.selinuxOptions)
                if !process.selinuxOptions.isEmpty {
                    let label = process.selinuxOptions.joined(separator: ",label=")
                    annotate(&spec, "io.podman.annotations.label", label)
                }
            case .noNewPrivileges: spec.noNewPrivileges = onlyTrue(process.noNewPrivileges)
            case .seccompUnconfined:
                if process.seccompUnconfined {
                    spec.seccompProfilePath = "unconfined"
                    annotate(&spec, "io.podman.annotations.seccomp", "unconfined")
                }
            case .seccompProfile:
                if let profile = process.seccompProfile, !process.seccompUnconfined {
                    spec.seccompProfilePath = profile
                    annotate(&spec, "io.podman.annotations.seccomp", profile)
                }
            case .apparmorProfile:
                if let profile = process.apparmorProfile {
                    spec.apparmorProfile = profile
                    annotate(&spec, "io.podman.annotations.apparmor", profile)
                }
            case .ulimits:
                spec.rlimits = unlessEmpty(process.ulimits.map { .init(type: $0.name, hard: $0.hard, soft: $0.soft) })
            case .privileged: spec.privileged = onlyTrue(process.privileged)
            case .readOnly: spec.readOnlyFilesystem = onlyTrue(process.readOnly)
            case .groupAdd:
                // `keep-groups` is no group: Podman's CLI turns it into this annotation (crun keeps the user's
                // groups), and the API fails at start looking for a group of that name.
                spec.groups = unlessEmpty(process.groupAdd.filter { $0 != keepGroups })
                if process.groupAdd.contains(keepGroups) {
                    annotate(&spec, "run.oci.keep_original_groups", "1")
                }
            case .shmSizeBytes: break  // the pod's /dev/shm, which its containers share: pod(_:)
            case .sysctls: spec.sysctl = unlessEmpty(process.sysctls)
            }
        }
    }

    private static func labels(_ service: ServiceDefinition, in pod: PodDefinition) -> [String: String] {
        var ours = [
            StackLabels.stack: pod.name, StackLabels.service: service.name,
            StackLabels.configHash: ConfigDigest.service(service),
        ]
        if !service.profiles.isEmpty { ours[StackLabels.profiles] = service.profiles.joined(separator: ",") }
        return service.labels.merging(ours) { _, ours in ours }
    }

    private static func appendMounts(_ definitions: [MountDefinition], to spec: inout Podman.ContainerCreateSpec) {
        var mounts: [Podman.ContainerCreateSpec.Mount] = []
        var volumes: [Podman.ContainerCreateSpec.NamedVolume] = []
        for mount in definitions {
            switch mount {
            case .bind(let source, let target, let readOnly, let selinux):
                var options = ["rbind", readOnly ? "ro" : "rw"]
                if let selinux { options.append(selinux.rawValue) }
                mounts.append(.init(destination: target, source: source, options: options))
            case .volume(let name, let target, let readOnly):
                volumes.append(.init(name: name, destination: target, options: readOnly ? ["ro"] : []))
            }
        }
        spec.mounts = unlessEmpty((spec.mounts ?? []) + mounts)
        spec.volumes = unlessEmpty((spec.volumes ?? []) + volumes)
    }

    private static func secrets(
        _ service: ServiceDefinition, in pod: PodDefinition
    ) -> [Podman.ContainerCreateSpec.Secret] {
        service.secrets.compactMap { reference in
            guard let definition = pod.secret(key: reference.source) else { return nil }
            return .init(
                source: definition.name, target: reference.target, uid: reference.uid.flatMap { Int($0) },
                gid: reference.gid.flatMap { Int($0) }, mode: reference.mode)
        }
    }

    private static func healthConfig(_ service: ServiceDefinition) -> Podman.ContainerCreateSpec.HealthConfig? {
        if let check = service.healthcheck {
            return .init(
                test: check.test, interval: .seconds(check.intervalSeconds), timeout: .seconds(check.timeoutSeconds),
                retries: check.retries, startPeriod: .seconds(check.startPeriodSeconds))
        }
        guard service.healthcheckDisabled else { return nil }
        return .init(test: ["NONE"], interval: .zero, timeout: .zero, retries: 0, startPeriod: .zero)
    }

    private static func unlessEmpty<T: Collection>(_ value: T) -> T? { value.isEmpty ? nil : value }

    /// Sets one annotation, keeping the others the spec has.
    private static func annotate(_ spec: inout Podman.ContainerCreateSpec, _ key: String, _ value: String) {
        spec.annotations = (spec.annotations ?? [:]).merging([key: value]) { $1 }
    }
}
