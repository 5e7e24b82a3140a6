extension NodeReader {
    /// Top-level `networks:`: the names services may join. podstack creates no network: the pod's one
    /// network namespace stands for all of them, so only the grouping matters (checked in
    /// `checkPodNetwork`), and options that would shape a real network are refused.
    mutating func topLevelNetworks(_ node: ComposeNode) -> Set<String> {
        guard let entries = mapping(node, "networks") else { return [] }
        var names: Set<String> = ["default"]
        for entry in entries {
            names.insert(entry.key)
            if Self.isNull(entry.value) { continue }
            let what = "network '\(entry.key)'"
            guard let options = mapping(entry.value, what) else { continue }
            // `name` is what compose would call the network it creates; podstack creates none.
            let keys = knownEntries(
                options, allowed: ["driver", "name"], unsupported: ComposeKeys.unsupportedTopLevelNetwork,
                context: what)
            if let driverNode = keys["driver"]?.value, let driver = string(driverNode, "driver of \(what)"),
                driver != "bridge", driver != "default"
            {
                report(
                    driverNode, "network driver '\(driver.prefix(40))' of \(what) is not supported by podstack",
                    hint: "the pod has one bridge network namespace; use bridge, or leave driver out")
            }
        }
        return names
    }

    /// Every network a service names is declared.
    mutating func checkDeclaredNetworks(_ services: [ServiceDefinition], declared: Set<String>) {
        for service in services {
            for network in serviceNetworks[service.name] ?? [] where !declared.contains(network) {
                report(
                    at: where_(service, "networks"),
                    "network '\(network.prefix(60))' of service '\(service.name)' is not declared",
                    hint: "declare it under the top-level networks:")
            }
        }
    }

    /// The checks of one pod's network as a whole: no two of its services are kept apart (one namespace
    /// cannot do that; services in groups that share no network are already in pods of their own, see
    /// `networkGroups`), and the settings the pod holds once agree.
    mutating func checkPodNetwork(_ services: [ServiceDefinition]) {
        for (index, service) in services.enumerated() {
            guard let mine = networks(of: service).map(Set.init),
                let apart = services[..<index].first(where: {
                    networks(of: $0).map { mine.isDisjoint(with: $0) } ?? false
                })
            else { continue }
            let bridge = bridge(between: apart, and: service, in: services)
            report(
                at: where_(service, "networks"),
                "services '\(apart.name)' and '\(service.name)' share no network, so the file keeps them apart; "
                    + "the services of one pod share one network namespace and cannot be kept apart"
                    + (bridge.map { ", while \($0)" } ?? ""),
                hint: "put them on a common network, accepting that they then reach each other")
        }
        checkAgreement(services)
        checkNetworkMode(services)
    }

    /// A pod has one network: every service has the same `network_mode` (none meaning the pod's own), and
    /// on the host's network or none, nothing is published.
    private mutating func checkNetworkMode(_ services: [ServiceDefinition]) {
        guard let first = services.first(where: { $0.addressing.networkMode != nil }),
            let mode = first.addressing.networkMode
        else { return }
        for service in services where service.addressing.networkMode != mode {
            let isShared =
                addressingLocations[AddressingKey(service: service.name, key: "network_mode")] != nil
                && service.addressing.networkMode == nil && !serviceNetworksHas(service)
            if isShared { continue }
            report(
                at: where_(service, "network_mode"),
                "service '\(service.name)' is not on network_mode \(mode) like service '\(first.name)'; the "
                    + "services of a pod share one network",
                hint: "give every service network_mode: \(mode), or none of them")
        }
        // On the host's network Podman keeps the host's /etc/hosts and resolv.conf, as compose does: names
        // and DNS settings of the file would be dropped, so they are refused.
        for service in services where mode == "host" {
            for key in ["extra_hosts", "dns", "dns_search", "dns_opt", "links"]
            where addressingLocations[AddressingKey(service: service.name, key: key)] != nil {
                report(
                    at: where_(service, key),
                    "\(key) of service '\(service.name)' cannot apply on network_mode host, which keeps the host's "
                        + "hosts file and DNS settings",
                    hint: "remove \(key); on the host's network the services reach each other at 127.0.0.1")
            }
        }
        for service in services where !service.ports.isEmpty {
            report(
                at: service.ports[0].location,
                "service '\(service.name)' publishes ports on network_mode \(mode), where there is nothing to publish",
                hint: mode == "host" ? "remove ports: the service listens on the host already" : "remove ports")
        }
    }

    /// Whether services connect the two through their networks, and how to say it: then no split into pods
    /// could keep the two apart and still let the others reach both (nextcloud-redis-mariadb's `nc` on
    /// redisnet and dbnet), so one pod is the only shape, and the file's isolation cannot be kept.
    private func bridge(
        between first: ServiceDefinition, and second: ServiceDefinition, in services: [ServiceDefinition]
    ) -> String? {
        let networks = { (service: ServiceDefinition) in Set(self.networks(of: service) ?? ["default"]) }
        if let both = services.first(where: {
            !networks($0).isDisjoint(with: networks(first)) && !networks($0).isDisjoint(with: networks(second))
        }) {
            return "'\(both.name)' shares a network with both"
        }
        var reached: Set<String> = [first.name]
        var frontier = networks(first)
        func joins(_ service: ServiceDefinition) -> Bool {
            !reached.contains(service.name) && !networks(service).isDisjoint(with: frontier)
        }
        while let next = services.first(where: joins) {
            if next.name == second.name { return "other services connect them" }
            reached.insert(next.name)
            frontier.formUnion(networks(next))
        }
        return nil
    }

    /// A `network_mode: service:NAME` leaves the service on no network of its own.
    private func serviceNetworksHas(_ service: ServiceDefinition) -> Bool { serviceNetworks[service.name] != nil }

    /// Each host name at one address, each DNS option with one value. Hostnames may differ (see
    /// `PodNetwork.hostnamePerService`).
    private mutating func checkAgreement(_ services: [ServiceDefinition]) {
        var addresses: [String: (address: String, service: String)] = [:]
        for service in services {
            for name in [service.name] + service.addressing.aliases where addresses[name] == nil {
                addresses[name] = (PodNetwork.loopback, service.name)
            }
        }
        var options: [String: (value: String, service: String)] = [:]
        for service in services {
            for entry in service.addressing.extraHosts {
                if let first = addresses[entry.name], first.address != entry.address {
                    report(
                        at: where_(service, "extra_hosts"),
                        "extra_hosts of service '\(service.name)' maps '\(entry.name)' to \(entry.address), but "
                            + "service '\(first.service)' has it at \(first.address); the pod has one hosts file",
                        hint: "use one address for each name")
                } else {
                    addresses[entry.name] = (entry.address, service.name)
                }
            }
            for option in service.addressing.dnsOptions {
                let key = String(option.prefix { $0 != ":" })
                if let first = options[key], first.value != option {
                    report(
                        at: where_(service, "dns_opt"),
                        "dns_opt '\(option)' of service '\(service.name)' differs from '\(first.value)' of service "
                            + "'\(first.service)'; the pod has one resolv.conf",
                        hint: "use one value for each option")
                } else {
                    options[key] = (option, service.name)
                }
            }
        }
    }

    private func where_(_ service: ServiceDefinition, _ key: String) -> SourceLocation {
        addressingLocations[AddressingKey(service: service.name, key: key)] ?? service.location
    }
}
