import PodstackCompose

extension KubePodBuilder {
    /// The pod's network settings in Kubernetes' words: `hostname`, `hostAliases` (every service name and
    /// alias at 127.0.0.1, as podstack's pod has them, then extra_hosts) and `dnsConfig`. Every key of
    /// `ServiceAddressing` is decided here, without `default:`; the pod has gathered the services' values.
    func networkEntries() -> [YAMLEntry?] {
        let network = pod.network
        var hostNetwork: YAMLEntry?
        var modeNote: [String] = []
        var hostAliases: YAMLEntry?
        var dns: [YAMLEntry?] = []
        for key in ServiceAddressing.Key.allCases {
            switch key {
            case .hostname: break  // written below: the pod's name when no service sets one
            case .aliases, .extraHosts: hostAliases = self.hostAliases(network.hosts)
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
                dns.append(
                    network.dnsSearch.isEmpty
                        ? nil : YAMLEntry("searches", .list(network.dnsSearch.map { .string($0) })))
            case .dnsOptions: dns.append(dnsOptions(network.dnsOptions))
            }
        }
        return [
            hostNetwork,
            YAMLEntry("hostname", .string(KubeNames.label(network.hostname ?? pod.name)), comments: modeNote),
            hostAliases,
            dns.allSatisfy({ $0 == nil }) ? nil : YAMLEntry("dnsConfig", .mapping(dns)),
        ]
    }

    private func hostAliases(_ hosts: [HostEntry]) -> YAMLEntry? {
        let byAddress = Dictionary(grouping: hosts, by: \.address)
        guard !byAddress.isEmpty else { return nil }
        let aliases = byAddress.keys.sorted().map { address -> YAMLValue in
            .mapping([
                YAMLEntry("ip", .string(address)),
                YAMLEntry("hostnames", .list((byAddress[address] ?? []).map { .string($0.name) })),
            ])
        }
        return YAMLEntry(
            "hostAliases", .list(aliases),
            comments: ["Service names resolve to the pod, as they do in the pod podstack runs."])
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
}
