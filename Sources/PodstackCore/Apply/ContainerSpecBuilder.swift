import Foundation
import PodmanAPI
import PodstackCompose

/// Turns the stack model into Podman's create specs.
enum ContainerSpecBuilder {
    /// `group_add: [keep-groups]`, and what `up` adds for device nodes that open only through a group.
    static let keepGroups = "keep-groups"

    /// `hostGateway` is what `host-gateway` in extra_hosts becomes for this Podman (`HostGatewayAddress`).
    static func pod(_ pod: PodDefinition, hostGateway: String = HostEntry.hostGateway) -> Podman.PodCreateSpec {
        let ports = pod.portMappings.map {
            Podman.PortMapping(
                hostIP: $0.hostIP, hostPort: $0.hostPort, containerPort: $0.containerPort,
                protocol: $0.protocol.rawValue)
        }
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
        spec.hostAdd = network.hosts.map { entry in
            entry.address == HostEntry.hostGateway ? "\(entry.name):\(hostGateway)" : entry.podmanForm
        }
        spec.dnsServer = network.dnsServers.isEmpty ? nil : network.dnsServers
        spec.dnsSearch = network.dnsSearch.isEmpty ? nil : network.dnsSearch
        spec.dnsOption = network.dnsOptions.isEmpty ? nil : network.dnsOptions
        spec.shmSize = pod.shmSizeBytes
        spec.netns = network.mode.map { Podman.Namespace(nsmode: $0) }
        spec.userns = pod.usernsMode.map(userNamespace)
        return spec
    }

    static func container(_ service: ServiceDefinition, in pod: PodDefinition) -> Podman.ContainerCreateSpec {
        var spec = Podman.ContainerCreateSpec(name: service.containerName, image: service.image)
        spec.pod = pod.name
        applyNamespaces(service, in: pod, to: &spec)
        spec.command = service.command
        spec.entrypoint = service.entrypoint
        spec.env = service.environment.isEmpty ? nil : service.environment
        var ours = [
            StackLabels.stack: pod.name, StackLabels.service: service.name,
            StackLabels.configHash: ConfigDigest.service(service),
        ]
        if !service.profiles.isEmpty { ours[StackLabels.profiles] = service.profiles.joined(separator: ",") }
        spec.labels = service.labels.merging(ours) { _, ours in ours }
        var mounts: [Podman.ContainerCreateSpec.Mount] = []
        var volumes: [Podman.ContainerCreateSpec.NamedVolume] = []
        for mount in service.mounts {
            switch mount {
            case .bind(let source, let target, let readOnly, let selinux):
                var options = ["rbind", readOnly ? "ro" : "rw"]
                if let selinux { options.append(selinux.rawValue) }
                mounts.append(.init(destination: target, source: source, options: options))
            case .volume(let name, let target, let readOnly):
                volumes.append(.init(name: name, destination: target, options: readOnly ? ["ro"] : []))
            }
        }
        mounts += service.process.tmpfs.map {
            .init(destination: $0.target, type: "tmpfs", source: "tmpfs", options: $0.options)
        }
        spec.mounts = mounts.isEmpty ? nil : mounts
        spec.volumes = volumes.isEmpty ? nil : volumes
        let secrets = service.secrets.compactMap { reference -> Podman.ContainerCreateSpec.Secret? in
            guard let definition = pod.secret(key: reference.source) else { return nil }
            return .init(
                source: definition.name, target: reference.target, uid: reference.uid.flatMap { Int($0) },
                gid: reference.gid.flatMap { Int($0) }, mode: reference.mode)
        }
        spec.secrets = secrets.isEmpty ? nil : secrets
        if let check = service.healthcheck {
            spec.healthConfig = .init(
                test: check.test, interval: .seconds(check.intervalSeconds), timeout: .seconds(check.timeoutSeconds),
                retries: check.retries, startPeriod: .seconds(check.startPeriodSeconds))
        } else if service.healthcheckDisabled {
            spec.healthConfig = .init(test: ["NONE"], interval: .zero, timeout: .zero, retries: 0, startPeriod: .zero)
        }
        switch service.restart {
        case .no: spec.restartPolicy = "no"
        case .always: spec.restartPolicy = "always"
        case .unlessStopped: spec.restartPolicy = "unless-stopped"
        case .onFailure(let retries):
            spec.restartPolicy = "on-failure"
            spec.restartTries = retries
        }
        spec.stopSignal = service.stopSignal.flatMap(SignalNames.number)
        spec.stopTimeout = service.stopGracePeriodSeconds ?? 10
        spec.user = service.user
        spec.workDir = service.workingDir
        if service.workingDir != nil { spec.createWorkingDir = true }
        applyProcess(service.process, to: &spec)
        spec.resourceLimits = resourceLimits(service.resources)
        spec.logConfiguration = service.logging.map(logConfiguration)
        // Sent only when the file asks for devices, so that other services' bodies stay as they were.
        if !service.devices.isEmpty {
            spec.devices = service.devices.map { Podman.ContainerCreateSpec.Device(path: $0.path) }
        }
        return spec
    }

    /// Each setting is sent only when it differs from Podman's default, so that the body of a service that
    /// sets none of them stays as it was.
    private static func applyProcess(_ process: ProcessSettings, to spec: inout Podman.ContainerCreateSpec) {
        func onlyTrue(_ value: Bool) -> Bool? { value ? true : nil }
        func unlessEmpty<T: Collection>(_ value: T) -> T? { value.isEmpty ? nil : value }
        spec.terminal = onlyTrue(process.tty)
        spec.stdin = onlyTrue(process.stdinOpen)
        spec.initProcess = onlyTrue(process.initProcess)
        spec.privileged = onlyTrue(process.privileged)
        spec.readOnlyFilesystem = onlyTrue(process.readOnly)
        spec.noNewPrivileges = onlyTrue(process.noNewPrivileges)
        spec.seccompProfilePath = process.seccompUnconfined ? "unconfined" : process.seccompProfile
        spec.apparmorProfile = process.apparmorProfile
        spec.capAdd = unlessEmpty(process.capAdd)
        spec.capDrop = unlessEmpty(process.capDrop)
        spec.selinuxOptions = unlessEmpty(process.selinuxOptions)
        // `keep-groups` is no group: Podman's CLI turns it into this annotation (crun keeps the user's groups),
        // and the API fails at start looking for a group of that name.
        spec.groups = unlessEmpty(process.groupAdd.filter { $0 != keepGroups })
        spec.sysctl = unlessEmpty(process.sysctls)
        var annotations: [String: String] = [:]
        if !process.selinuxOptions.isEmpty {
            annotations["io.podman.annotations.label"] = process.selinuxOptions.joined(separator: ",label=")
        }
        if let seccomp = spec.seccompProfilePath { annotations["io.podman.annotations.seccomp"] = seccomp }
        if let apparmor = process.apparmorProfile { annotations["io.podman.annotations.apparmor"] = apparmor }
        if process.groupAdd.contains(keepGroups) { annotations["run.oci.keep_original_groups"] = "1" }
        spec.annotations = unlessEmpty(annotations)
        spec.rlimits = unlessEmpty(
            process.ulimits.map { .init(type: $0.name, hard: $0.hard, soft: $0.soft) })
    }
}
