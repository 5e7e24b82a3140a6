import PodstackCompose

extension KubePodBuilder {
    /// The pod's network settings in Kubernetes' words: `hostname`, `hostAliases` (every service name and
    /// alias at 127.0.0.1, as podstack's pod has them, then extra_hosts) and `dnsConfig`.
    func networkEntries() -> [YAMLEntry?] {
        let network = pod.network
        // Kubernetes takes only addresses in hostAliases; the host's address is the node's to give.
        let atGateway = { (entry: HostEntry) in entry.address == HostEntry.hostGateway }
        let gatewayNames = network.hosts.filter(atGateway).map(\.name)
        let byAddress = Dictionary(grouping: network.hosts.filter { !atGateway($0) }, by: \.address)
        let aliases = byAddress.keys.sorted().map { address -> YAMLValue in
            .mapping([
                YAMLEntry("ip", .string(address)),
                YAMLEntry("hostnames", .list((byAddress[address] ?? []).map { .string($0.name) })),
            ])
        }
        let options = network.dnsOptions.map { option -> YAMLValue in
            let parts = option.split(separator: ":", maxSplits: 1).map(String.init)
            return .mapping([
                YAMLEntry("name", .string(parts[0])),
                .optional("value", parts.count == 2 ? .string(parts[1]) : nil),
            ])
        }
        let dns: [YAMLEntry?] = [
            network.dnsServers.isEmpty ? nil : YAMLEntry("nameservers", .list(network.dnsServers.map { .string($0) })),
            network.dnsSearch.isEmpty ? nil : YAMLEntry("searches", .list(network.dnsSearch.map { .string($0) })),
            options.isEmpty ? nil : YAMLEntry("options", .list(options)),
        ]
        var modeNote =
            network.mode == "none"
            ? ["network_mode none: Kubernetes always gives a pod a network; this one will have one."] : []
        if !network.hostnamePerService.isEmpty {
            let names = network.hostnamePerService.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            modeNote.append(
                "hostnames per service (\(names.joined(separator: ", "))): the containers of a Kubernetes pod "
                    + "share one hostname, so the pod's name is used.")
        }
        let namespaces = namespaceEntries()
        modeNote += namespaces.notes
        return [
            network.mode == "host" ? YAMLEntry("hostNetwork", .bool(true)) : nil,
            namespaces.hostPID, namespaces.hostIPC,
            YAMLEntry("hostname", .string(KubeNames.label(network.hostname ?? pod.name)), comments: modeNote),
            aliases.isEmpty
                ? nil
                : YAMLEntry(
                    "hostAliases", .list(aliases),
                    comments: ["Service names resolve to the pod, as they do in the pod podstack runs."]
                        + (gatewayNames.isEmpty
                            ? []
                            : [
                                "extra_hosts \(gatewayNames.joined(separator: ", ")) at host-gateway: Kubernetes takes "
                                    + "only addresses here; Podman's kube play adds host.containers.internal "
                                    + "for the host."
                            ])),
            dns.allSatisfy({ $0 == nil }) ? nil : YAMLEntry("dnsConfig", .mapping(dns)),
        ]
    }

    /// `pid: host` and `ipc: host` as the pod's hostPID and hostIPC (Kubernetes has them for the whole pod
    /// only); every other namespace choice is said in a note, since a Kubernetes pod cannot express it.
    private func namespaceEntries() -> (hostPID: YAMLEntry?, hostIPC: YAMLEntry?, notes: [String]) {
        var notes: [String] = []
        for service in pod.services {
            let written = service.namespaces.written.sorted { $0.key < $1.key }
            for (key, mode) in written where !(mode == "host" && key != "uts") {
                notes.append(
                    "\(key): \(mode) of service \(service.name): a Kubernetes pod cannot set it per container.")
            }
        }
        let hostPID = pod.services.filter { $0.namespaces.pid == .host }.map(\.name)
        let hostIPC = pod.services.filter { $0.namespaces.ipc == .host }.map(\.name)
        func entry(_ key: String, _ names: [String], _ compose: String) -> YAMLEntry? {
            names.isEmpty
                ? nil
                : YAMLEntry(
                    key, .bool(true),
                    comments: ["\(compose) of \(names.joined(separator: ", ")); in Kubernetes for the whole pod."])
        }
        return (entry("hostPID", hostPID, "pid: host"), entry("hostIPC", hostIPC, "ipc: host"), notes)
    }
}
