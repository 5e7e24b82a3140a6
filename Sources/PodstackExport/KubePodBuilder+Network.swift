import PodstackCompose

extension KubePodBuilder {
    /// The pod's network settings in Kubernetes' words: `hostname`, `hostAliases` (every service name and
    /// alias at 127.0.0.1, as podstack's pod has them, then extra_hosts) and `dnsConfig`. Every key of
    /// `ServiceAddressing` is decided here, without `default:`; the pod has gathered the services' values.
    /// A service that is a Pod of its own (`ownNetwork`) has its own hostname (its name unless it sets one),
    /// only its extra_hosts, and searches the domain that makes the other services' names resolve.
    func networkEntries() -> [YAMLEntry?] {
        let network = pod.network
        var hostNetwork: YAMLEntry?
        var modeNote: [String] = []
        var hostAliases: YAMLEntry?
        var dns: [YAMLEntry?] = []
        for key in ServiceAddressing.Key.allCases {
            switch key {
            case .hostname:  // written below: the pod's name (the service's, for a Pod of its own) when none is set
                if !network.hostnamePerService.isEmpty {
                    let names = network.hostnamePerService.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                    modeNote.append(
                        "hostnames per service (\(names.joined(separator: ", "))): the containers of a Kubernetes pod "
                            + "share one hostname, so the pod's name is used.")
                }
            // A Pod of its own reaches the others through DNS (the search domain), not at 127.0.0.1.
            case .aliases, .extraHosts:
                hostAliases = self.hostAliases(ownNetwork == nil ? network.hosts : network.extraHosts)
            case .networkMode:
                hostNetwork = network.mode == "host" ? YAMLEntry("hostNetwork", .bool(true)) : nil
                if network.mode == "none" {
                    modeNote = ["network_mode none: Kubernetes always gives a pod a network; this one will have one."]
                }
            case .dnsServers:
                dns.append(
                    network.dnsServers.isEmpty
                        ? nil : YAMLEntry("nameservers", .list(network.dnsServers.map { .string($0) })))
            case .dnsSearch:
                // On the host's network (or none) a Pod uses the node's DNS, where the domain means nothing.
                let searches =
                    (ownNetwork.flatMap { $0.hasNetworkName ? [$0.searchDomain] : nil } ?? []) + network.dnsSearch
                dns.append(
                    searches.isEmpty
                        ? nil
                        : YAMLEntry(
                            "searches", .list(searches.map { .string($0) }),
                            comments: ownNetwork.map {
                                [
                                    "\($0.searchDomain): so that another service's name finds its Pod, <service>.\($0.searchDomain)."
                                ]
                            } ?? []))
            case .dnsOptions: dns.append(dnsOptions(network.dnsOptions))
            // Set only on the services of a pod whose services have networks of their own: its networks are
            // said once for the pod (KubeOwnNetwork.podNotes), its addresses and aliases here.
            case .networkAttachments: modeNote += ownNetwork?.attachmentNotes ?? []
            }
        }
        let namespaces = namespaceEntries()
        modeNote += namespaces.notes
        return [
            hostNetwork,
            namespaces.hostPID, namespaces.hostIPC,
            YAMLEntry(
                "hostname", .string(KubeNames.label(network.hostname ?? ownNetwork?.service.name ?? pod.name)),
                comments: modeNote),
            hostAliases,
            dns.allSatisfy({ $0 == nil }) ? nil : YAMLEntry("dnsConfig", .mapping(dns)),
        ]
    }

    private func hostAliases(_ hosts: [HostEntry]) -> YAMLEntry? {
        // Kubernetes takes only addresses in hostAliases; the host's address is the node's to give.
        let atGateway = { (entry: HostEntry) in entry.address == HostEntry.hostGateway }
        let gatewayNames = hosts.filter(atGateway).map(\.name)
        let byAddress = Dictionary(grouping: hosts.filter { !atGateway($0) }, by: \.address)
        guard !byAddress.isEmpty else { return nil }
        let aliases = byAddress.keys.sorted().map { address -> YAMLValue in
            .mapping([
                YAMLEntry("ip", .string(address)),
                YAMLEntry("hostnames", .list((byAddress[address] ?? []).map { .string($0.name) })),
            ])
        }
        return YAMLEntry(
            "hostAliases", .list(aliases),
            comments: (ownNetwork == nil
                ? ["Service names resolve to the pod, as they do in the pod podstack runs."] : [])
                + (gatewayNames.isEmpty
                    ? []
                    : [
                        "extra_hosts \(gatewayNames.joined(separator: ", ")) at host-gateway: Kubernetes takes "
                            + "only addresses here; Podman's kube play adds host.containers.internal for the host."
                    ]))
    }

    private func dnsOptions(_ options: [String]) -> YAMLEntry? {
        guard !options.isEmpty else { return nil }
        return YAMLEntry(
            "options",
            .list(
                options.map { option -> YAMLValue in
                    let parts = option.split(separator: ":", maxSplits: 1).map(String.init)
                    return .mapping([
                        YAMLEntry("name", .string(parts[0])),
                        .optional("value", parts.count == 2 ? .string(parts[1]) : nil),
                    ])
                }))
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
