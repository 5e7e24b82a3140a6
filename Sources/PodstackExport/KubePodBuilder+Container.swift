import PodstackCompose

/// What one service's keys contribute to its container, gathered key by key and written in a fixed order.
struct KubeContainerParts {
    /// What `depends_on` asks and the Pod cannot do: the first thing a reader needs to know.
    var dependencyNotes: [String] = []
    var notes: [String] = []
    var command: YAMLValue?
    var args: YAMLValue?
    var workingDir: YAMLValue?
    var env: YAMLValue?
    var ports: [YAMLValue] = []
    var volumeMounts: [YAMLValue] = []
    var secretMounts: [YAMLValue] = []
    var userSecurity: [YAMLEntry?] = []
    var processSecurity: [YAMLEntry?] = []
    var resources: YAMLEntry?
    var process: [YAMLEntry?] = []
}

extension KubePodBuilder {
    /// One service as a container (regular, init or sidecar, by its role in the start order).
    func container(_ service: ServiceDefinition) -> YAMLValue {
        let role = order.roles[service.name] ?? .main
        var parts = KubeContainerParts()
        for key in ServiceDefinition.Key.allCases { map(key, of: service, into: &parts) }
        let probes = role == .job ? [] : self.probes(service, gated: role == .sidecar(gated: true))
        let security = (parts.userSecurity + parts.processSecurity).compactMap { $0 }
        let entries: [YAMLEntry?] =
            [
                YAMLEntry(
                    "name", .string(KubeNames.label(service.name)), comments: parts.dependencyNotes + parts.notes),
                YAMLEntry("image", .string(service.image)),
                // A pull would fail for an image that exists only in the local store.
                service.image.hasPrefix("localhost/") ? YAMLEntry("imagePullPolicy", .string("IfNotPresent")) : nil,
                .optional("command", parts.command), .optional("args", parts.args),
                .optional("workingDir", parts.workingDir), .optional("env", parts.env),
                parts.ports.isEmpty ? nil : YAMLEntry("ports", .list(parts.ports)),
                parts.volumeMounts.isEmpty && parts.secretMounts.isEmpty
                    ? nil : YAMLEntry("volumeMounts", .list(parts.volumeMounts + parts.secretMounts)),
                security.isEmpty ? nil : YAMLEntry("securityContext", .map(security)),
                parts.resources,
            ] + parts.process
        let sidecar: YAMLEntry? =
            if case .sidecar = role {
                YAMLEntry(
                    "restartPolicy", .string("Always"),
                    comments: ["A native sidecar: starts before, and keeps running beside, what needs it."])
            } else { nil }
        return .mapping(entries + probes + [sidecar])
    }

    /// Every key of the model, each written into the container, left to the Pod with where, or noted with
    /// why Kubernetes cannot carry it. No `default:`: a new key does not build until it is decided here.
    private func map(_ key: ServiceDefinition.Key, of service: ServiceDefinition, into parts: inout KubeContainerParts)
    {
        switch key {
        case .name: break  // the container's name, written first
        case .image:
            if service.build != nil {
                parts.notes.append(
                    "\(service.image) is built by podstack: push it to a registry the cluster can pull from "
                        + "(podstack kube --push REGISTRY pushes it and names it here).")
            } else if service.image.hasPrefix("localhost/") {
                parts.notes.append(
                    "\(service.image) is a local image: push it to a registry the cluster can pull from.")
            }
        case .podName: break  // the Pod's name (KubeExporter)
        case .containerName:
            if service.containerName != ServiceDefinition.containerName(pod: service.podName, service: service.name) {
                parts.notes.append(
                    "container_name \(service.containerName): Kubernetes names containers within the pod, and "
                        + "podman kube play calls this one <pod>-\(KubeNames.label(service.name)).")
            }
        case .build: break  // what it builds is a local image: the note under .image says to push it
        case .imageVariable, .location: break  // only for podstack's own messages
        case .pullPolicy: break  // when podstack pulls or builds; the Pod says imagePullPolicy by the image
        case .entrypoint: parts.command = service.entrypoint.map { .list($0.map { .string(Self.unexpanded($0)) }) }
        case .command: parts.args = service.command.map { .list($0.map { .string(Self.unexpanded($0)) }) }
        case .workingDir: parts.workingDir = service.workingDir.map(YAMLValue.string)
        case .environment: parts.env = environment(service.environment)
        case .ports: parts.ports = service.ports.map(port)
        case .mounts:
            parts.volumeMounts = volumeMounts(service)
            parts.notes += mountNotes(service)
        case .secrets:
            parts.secretMounts = secretMounts(service)
            parts.notes += secretNotes(service)
        case .dependsOn: parts.dependencyNotes = dependencyNotes(service)  // the order itself: KubeStartOrder
        case .healthcheck: parts.notes += startIntervalNote(service)  // probes: by the role, in container(_:)
        case .healthcheckDisabled: break  // Kubernetes runs no check of the image's own: nothing to switch off
        case .restart, .stopGracePeriodSeconds: break  // one per Pod: restartPolicy, terminationGracePeriodSeconds
        // A Kubernetes container has no labels; the Pod carries podstack's name label (metadata).
        case .labels: break
        // Profiles chose which services were loaded, and so exported; nothing is left to carry.
        case .profiles: break
        case .addressing: break  // the Pod's hostname, hostAliases and dnsConfig: networkEntries()
        case .user: userSecurity(service.user, into: &parts)
        case .stopSignal:
            if let signal = service.stopSignal, SignalNames.number(signal) != 15 {
                parts.notes.append(
                    "stop_signal \(signal): Kubernetes sends SIGTERM; make the image's STOPSIGNAL say \(signal).")
            }
        case .process:
            let process = processMapping(service)
            parts.processSecurity = process.security
            parts.process = process.container
            parts.notes += process.notes
        case .devices:
            let devices = deviceResources(service)
            parts.resources = devices.entry
            parts.notes += devices.notes
        // After .devices (the enum's order): the GPU limits it wrote join the memory and CPU ones.
        case .resources:
            let resources = self.resources(service, devices: parts.resources)
            parts.resources = resources.entry
            parts.notes += resources.notes
        case .logging: parts.notes += loggingNote(service)
        case .usernsMode: parts.notes += usernsNote(service)
        // pid: host and ipc: host are the Pod's (networkEntries); the rest is said there in a note.
        case .namespaces: break
        // Files the loader put in `mounts` or `secrets`, mapped with them.
        case .configs: break
        case .annotations:
            if !service.annotations.isEmpty {
                parts.notes.append(
                    "annotations \(service.annotations.keys.sorted().joined(separator: ", ")): Kubernetes annotates "
                        + "the Pod, not a container; put those that hold for the whole pod under its metadata.annotations."
                )
            }
        }
    }

    private func userSecurity(_ user: String?, into parts: inout KubeContainerParts) {
        guard let user else { return }
        let ids = user.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let uid = Int(ids[0]), ids.count <= 2, ids.count == 1 || Int(ids[1]) != nil else {
            parts.notes.append(
                "user '\(user)' is a name; Kubernetes takes numeric ids only (securityContext.runAsUser).")
            return
        }
        parts.userSecurity = [
            YAMLEntry("runAsUser", .int(uid)),
            .optional("runAsGroup", ids.count == 2 ? Int(ids[1]).map { .int($0) } : nil),
        ]
    }

    private func environment(_ environment: [String: String]) -> YAMLValue? {
        guard !environment.isEmpty else { return nil }
        return .list(
            environment.keys.sorted().map { key in
                .map([
                    YAMLEntry("name", .string(key)),
                    YAMLEntry("value", .string(Self.unexpanded(environment[key] ?? ""))),
                ])
            })
    }

    private func dependencyNotes(_ service: ServiceDefinition) -> [String] {
        (order.unexpressed[service.name] ?? []).map { dependency in
            guard !order.acrossPods else {
                return
                    "Needs \(dependency.service) (\(dependency.condition.rawValue)), and the Pods of services with "
                    + "networks of their own do not wait for each other: this one, when it fails for want of "
                    + "\(dependency.service), is restarted until \(dependency.service) answers."
            }
            return
                "Needs \(dependency.service) (\(dependency.condition.rawValue)), which a Pod cannot wait for here: its containers "
                + "start together, and this one, when it fails for want of \(dependency.service), is restarted until "
                + "\(dependency.service) answers"
                + (dependency.condition == .completedSuccessfully
                    ? "." : " (`podstack kube --sidecars` orders them, Kubernetes 1.29+).")
        }
    }

    private func mountNotes(_ service: ServiceDefinition) -> [String] {
        service.mounts.compactMap { mount in
            guard case .bind(let source, _, _, let selinux?) = mount else { return nil }
            return "\(source) asked for SELinux relabel :\(selinux.rawValue); Kubernetes does not relabel: "
                + "chcon -Rt container_file_t \(source), or set securityContext.seLinuxOptions."
        }
    }

    private func secretNotes(_ service: ServiceDefinition) -> [String] {
        service.secrets.compactMap { reference in
            guard reference.uid != nil || reference.gid != nil else { return nil }
            return "secret \(reference.source): uid/gid are not per file in Kubernetes; use the pod's fsGroup."
        }
    }

    private func port(_ port: PortMapping) -> YAMLValue {
        // A wildcard host address is Kubernetes' default; 127.0.0.1 keeps the port off the network.
        let wildcard = port.hostIP.isEmpty || port.hostIP == "0.0.0.0" || port.hostIP == "::"
        return .mapping([
            YAMLEntry(
                "containerPort", .int(port.containerPort),
                comments: port.hostPortIsPicked
                    ? ["published on a host port Podman picks (compose: no host port given); set hostPort to fix one"]
                    : []),
            port.hostPortIsPicked ? nil : YAMLEntry("hostPort", .int(port.hostPort)),
            wildcard ? nil : YAMLEntry("hostIP", .string(port.hostIP)),
            YAMLEntry("protocol", .string(port.protocol.rawValue.uppercased())),
        ])
    }

    private func volumeMounts(_ service: ServiceDefinition) -> [YAMLValue] {
        service.mounts.compactMap { mount in
            let name: String?
            switch mount {
            case .bind(let source, _, _, _): name = bindVolumes[source]
            case .volume(let podmanName, _, _): name = namedVolumes[podmanName]
            }
            guard let name else { return nil }
            return .mapping([
                YAMLEntry("name", .string(name)), YAMLEntry("mountPath", .string(mount.target)),
                mount.readOnly ? YAMLEntry("readOnly", .bool(true)) : nil,
            ])
        }
    }

    private func secretMounts(_ service: ServiceDefinition) -> [YAMLValue] {
        service.secrets.compactMap { reference in
            guard let name = secretVolumes[reference.source] else { return nil }
            // subPath puts the one file where compose puts it, rather than a directory over the target.
            return .map([
                YAMLEntry("name", .string(name)), YAMLEntry("mountPath", .string(reference.target)),
                YAMLEntry("subPath", .string(Self.secretKey(reference.source))), YAMLEntry("readOnly", .bool(true)),
            ])
        }
    }

    /// Readiness and liveness from the health check; a startup probe too when the sidecar gates others.
    private func probes(_ service: ServiceDefinition, gated: Bool) -> [YAMLEntry] {
        guard let check = service.healthcheck, let command = Self.probeCommand(check.test) else { return [] }
        let period = max(1, Int(check.intervalSeconds.rounded(.up)))
        let timeout = max(1, Int(check.timeoutSeconds.rounded(.up)))
        let startPeriod = Int(check.startPeriodSeconds.rounded(.up))
        let exec = YAMLEntry("exec", .map([YAMLEntry("command", .list(command.map(YAMLValue.string)))]))
        func probe(initialDelay: Int, failures: Int) -> YAMLValue {
            .mapping([
                exec, initialDelay > 0 ? YAMLEntry("initialDelaySeconds", .int(initialDelay)) : nil,
                YAMLEntry("periodSeconds", .int(period)), YAMLEntry("timeoutSeconds", .int(timeout)),
                YAMLEntry("failureThreshold", .int(max(1, failures))),
            ])
        }
        var entries: [YAMLEntry] = []
        if gated {
            // Compose ignores failures during start_period, then allows `retries` more: the same budget.
            let failures = max(1, check.retries) + (startPeriod + period - 1) / period
            entries.append(
                YAMLEntry(
                    "startupProbe", probe(initialDelay: 0, failures: failures),
                    comments: ["The health check: what starts after this sidecar waits until it passes."]))
        }
        entries.append(YAMLEntry("readinessProbe", probe(initialDelay: 0, failures: check.retries)))
        entries.append(
            YAMLEntry(
                "livenessProbe", probe(initialDelay: gated ? 0 : startPeriod, failures: check.retries),
                comments: [
                    "From the compose health check. Unlike compose, Kubernetes restarts a container that fails it."
                ]))
        return entries
    }

    /// A value of command, args or env as Kubernetes must read it to give the container exactly `text`.
    /// Kubernetes expands `$(NAME)` there and reads `$$` as one `$` (a `$` before anything else stays):
    /// so a `$` followed by `(` or `$` is doubled, and compose's `$$(date)`, already `$(date)` here, reaches
    /// the container as `$(date)` (ExportKubeTests expands the output as Kubernetes does).
    static func unexpanded(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        var current = scalars.next()
        while let scalar = current {
            let next = scalars.next()
            out.unicodeScalars.append(scalar)
            if scalar == "$", next == "(" || next == "$" { out += "$" }
            current = next
        }
        return out
    }

    /// `["CMD", exe, args...]` runs as is; `["CMD-SHELL", script]` through /bin/sh, as Podman does.
    static func probeCommand(_ test: [String]) -> [String]? {
        guard let kind = test.first else { return nil }
        switch kind {
        case "CMD": return test.count > 1 ? Array(test.dropFirst()) : nil
        case "CMD-SHELL": return test.count > 1 ? ["/bin/sh", "-c", test.dropFirst().joined(separator: " ")] : nil
        case "NONE": return nil
        default: return test
        }
    }
}
