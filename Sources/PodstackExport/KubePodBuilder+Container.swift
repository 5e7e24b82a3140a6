import PodstackCompose

extension KubePodBuilder {
    /// One service as a container (regular, init or sidecar, by its role in the start order).
    func container(_ service: ServiceDefinition) -> YAMLValue {
        let role = order.roles[service.name] ?? .main
        var notes = dependencyNotes(service)
        if service.build != nil {
            notes.append(
                "\(service.image) is built by podstack: push it to a registry the cluster can pull from "
                    + "(podstack kube --push REGISTRY pushes it and names it here).")
        } else if service.image.hasPrefix("localhost/") {
            notes.append("\(service.image) is a local image: push it to a registry the cluster can pull from.")
        }
        var userSecurity: [YAMLEntry?] = []
        if let user = service.user {
            let parts = user.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if let uid = Int(parts[0]), parts.count <= 2, parts.count == 1 || Int(parts[1]) != nil {
                userSecurity = [
                    YAMLEntry("runAsUser", .int(uid)),
                    .optional("runAsGroup", parts.count == 2 ? Int(parts[1]).map { .int($0) } : nil),
                ]
            } else {
                notes.append("user '\(user)' is a name; Kubernetes takes numeric ids only (securityContext.runAsUser).")
            }
        }
        let process = processMapping(service)
        notes += process.notes
        let security = (userSecurity + process.security).compactMap { $0 }
        if let signal = service.stopSignal, SignalNames.number(signal) != 15 {
            notes.append("stop_signal \(signal): Kubernetes sends SIGTERM; make the image's STOPSIGNAL say \(signal).")
        }
        if service.containerName != ServiceDefinition.containerName(pod: service.podName, service: service.name) {
            notes.append(
                "container_name \(service.containerName): Kubernetes names containers within the pod, and "
                    + "podman kube play calls this one <pod>-\(KubeNames.label(service.name)).")
        }
        notes += mountNotes(service)
        let devices = deviceResources(service)
        notes += devices.notes
        let probes = role == .job ? [] : self.probes(service, gated: role == .sidecar(gated: true))
        let entries: [YAMLEntry?] = [
            YAMLEntry("name", .string(KubeNames.label(service.name)), comments: notes),
            YAMLEntry("image", .string(service.image)),
            // A pull would fail for an image that exists only in the local store.
            service.image.hasPrefix("localhost/") ? YAMLEntry("imagePullPolicy", .string("IfNotPresent")) : nil,
            .optional("command", service.entrypoint.map { .list($0.map { .string(Self.unexpanded($0)) }) }),
            .optional("args", service.command.map { .list($0.map { .string(Self.unexpanded($0)) }) }),
            .optional("workingDir", service.workingDir.map(YAMLValue.string)),
            service.environment.isEmpty
                ? nil
                : YAMLEntry(
                    "env",
                    .list(
                        service.environment.keys.sorted().map { key in
                            .map([
                                YAMLEntry("name", .string(key)),
                                YAMLEntry("value", .string(Self.unexpanded(service.environment[key] ?? ""))),
                            ])
                        })),
            service.ports.isEmpty ? nil : YAMLEntry("ports", .list(service.ports.map(port))),
            volumeMounts(service).isEmpty ? nil : YAMLEntry("volumeMounts", .list(volumeMounts(service))),
            security.isEmpty ? nil : YAMLEntry("securityContext", .map(security)),
            devices.entry,
        ] + process.container
        let sidecar: YAMLEntry? =
            if case .sidecar = role {
                YAMLEntry(
                    "restartPolicy", .string("Always"),
                    comments: ["A native sidecar: starts before, and keeps running beside, what needs it."])
            } else { nil }
        return .mapping(entries + probes + [sidecar])
    }

    private func dependencyNotes(_ service: ServiceDefinition) -> [String] {
        (order.unexpressed[service.name] ?? []).map { dependency in
            "Needs \(dependency.service) (\(dependency.condition.rawValue)), which a Pod cannot wait for here: its containers "
                + "start together, and this one is restarted until \(dependency.service) answers"
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
            + service.secrets.compactMap { reference in
                guard reference.uid != nil || reference.gid != nil else { return nil }
                return "secret \(reference.source): uid/gid are not per file in Kubernetes; use the pod's fsGroup."
            }
    }

    private func port(_ port: PortMapping) -> YAMLValue {
        // A wildcard host address is Kubernetes' default; 127.0.0.1 keeps the port off the network.
        let wildcard = port.hostIP.isEmpty || port.hostIP == "0.0.0.0" || port.hostIP == "::"
        return .mapping([
            YAMLEntry("containerPort", .int(port.containerPort)),
            YAMLEntry("hostPort", .int(port.hostPort)),
            wildcard ? nil : YAMLEntry("hostIP", .string(port.hostIP)),
            YAMLEntry("protocol", .string(port.protocol.rawValue.uppercased())),
        ])
    }

    private func volumeMounts(_ service: ServiceDefinition) -> [YAMLValue] {
        var list: [YAMLValue] = service.mounts.compactMap { mount in
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
        for reference in service.secrets {
            guard let name = secretVolumes[reference.source] else { continue }
            // subPath puts the one file where compose puts it, rather than a directory over the target.
            list.append(
                .map([
                    YAMLEntry("name", .string(name)), YAMLEntry("mountPath", .string(reference.target)),
                    YAMLEntry("subPath", .string(Self.secretKey(reference.source))), YAMLEntry("readOnly", .bool(true)),
                ]))
        }
        return list
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
