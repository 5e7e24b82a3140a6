import PodstackCompose

extension KubePodBuilder {
    /// The container's `resources`: GPU device limits (`deviceResources`) with memory and CPU limits and
    /// requests. The CPU weight (`cpu_shares`, or `reservations.cpus`) becomes `requests.cpu`, the inverse
    /// of what the kubelet does (1024 shares per CPU). What Kubernetes cannot set on one container is a note.
    func resources(
        _ service: ServiceDefinition, devices: YAMLEntry?
    ) -> (entry: YAMLEntry?, notes: [String]) {
        let limits = service.resources
        var limitEntries: [YAMLEntry] = []
        if case .map(let entries)? = devices?.value, case .map(let deviceLimits)? = entries.first?.value {
            limitEntries = deviceLimits
        }
        if let memory = limits.memoryBytes { limitEntries.append(YAMLEntry("memory", .string("\(memory)"))) }
        if let cpus = limits.cpus { limitEntries.append(YAMLEntry("cpu", .string("\(Int((cpus * 1000).rounded()))m"))) }
        var requests: [YAMLEntry] = []
        if let reserved = limits.memoryReservationBytes { requests.append(YAMLEntry("memory", .string("\(reserved)"))) }
        if let shares = limits.cpuShares {
            requests.append(YAMLEntry("cpu", .string("\(max(1, shares * 1000 / 1024))m")))
        }
        var notes: [String] = []
        if let pids = limits.pids {
            notes.append(
                "pids_limit \(pids): Kubernetes limits processes per node (kubelet podPidsLimit), not per container.")
        }
        if let swap = limits.memorySwapBytes {
            notes.append("memswap_limit \(swap): Kubernetes sets swap per node, not per container.")
        }
        if let cpuset = limits.cpuset {
            notes.append("cpuset \(cpuset): Kubernetes pins CPUs only through the kubelet's static CPU manager policy.")
        }
        var resources: [YAMLEntry] = []
        if !limitEntries.isEmpty { resources.append(YAMLEntry("limits", .map(limitEntries))) }
        if !requests.isEmpty { resources.append(YAMLEntry("requests", .map(requests))) }
        guard !resources.isEmpty else { return (nil, notes) }
        return (YAMLEntry("resources", .map(resources), comments: devices?.comments ?? []), notes)
    }
}

extension KubePodBuilder {
    /// `logging`, which a Kubernetes container cannot carry: said on the container.
    func loggingNote(_ service: ServiceDefinition) -> [String] {
        guard let logging = service.logging else { return [] }
        return [
            "logging \(logging.driver ?? "options"): Kubernetes keeps container logs by the node's settings; "
                + "podman kube play takes --log-driver and --log-opt."
        ]
    }

    /// `healthcheck.start_interval`: a Kubernetes probe has one period, so it is said as a startupProbe to add.
    func startIntervalNote(_ service: ServiceDefinition) -> [String] {
        guard let check = service.healthcheck, let interval = check.startIntervalSeconds else { return [] }
        let seconds = max(1, Int(interval.rounded(.up)))
        return [
            "healthcheck start_interval \(seconds)s: a Kubernetes probe has one period; a startupProbe with "
                + "periodSeconds: \(seconds) and failureThreshold: \(max(1, Int(check.startPeriodSeconds) / seconds)) "
                + "probes that often while it starts."
        ]
    }

    /// `userns_mode`: the pod's user namespace, which only podman kube play can be told.
    func usernsNote(_ service: ServiceDefinition) -> [String] {
        guard let userns = service.usernsMode else { return [] }
        return [
            "userns_mode \(userns): the pod's user namespace; play it with podman kube play --userns=\(userns) "
                + "(Kubernetes has only hostUsers: false)."
        ]
    }
}
