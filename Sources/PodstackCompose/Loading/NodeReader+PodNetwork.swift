extension NodeReader {
    /// Top-level `networks:`: the names services may join. Most pods make no network (their one namespace
    /// stands for all of them, so only the grouping matters, checked in `checkPodNetwork`); a network with
    /// settings of its own (`ipam`, `internal`, `external`, `labels`) is made, or joined, as a Podman network,
    /// and its pod's services then get namespaces of their own (NodeReader+OwnNetworks).
    mutating func topLevelNetworks(_ node: ComposeNode, project: String) -> Set<String> {
        guard let entries = mapping(node, "networks") else { return [] }
        var names: Set<String> = ["default"]
        for entry in entries {
            names.insert(entry.key)
            var declared = DeclaredNetwork(definition: NetworkDefinition(key: entry.key, name: "\(project)_\(entry.key)"))
            defer { declaredNetworks[entry.key] = declared }
            if Self.isNull(entry.value) { continue }
            let what = "network '\(entry.key)'"
            guard let options = mapping(entry.value, what) else { continue }
            let keys = knownEntries(
                options, allowed: ["driver", "name", "external", "internal", "ipam", "labels"],
                unsupported: ComposeKeys.unsupportedTopLevelNetwork, context: what)
            if let driverNode = keys["driver"]?.value, let driver = string(driverNode, "driver of \(what)"),
                driver != "bridge", driver != "default"
            {
                report(
                    driverNode, "network driver '\(driver.prefix(40))' of \(what) is not supported by podstack",
                    hint: "podstack makes bridge networks; use bridge, or leave driver out")
            }
            readNetworkSettings(keys, what: what, into: &declared)
        }
        return names
    }

    /// `name`, `external`, `internal`, `labels` and `ipam` of one top-level network.
    private mutating func readNetworkSettings(
        _ keys: [String: MappingEntry], what: String, into declared: inout DeclaredNetwork
    ) {
        if let node = keys["name"]?.value, let name = nonEmptyString(node, "name of \(what)") {
            if PodmanName.isValid(name) {
                declared.definition.name = name
            } else {
                report(node, "name '\(name.prefix(60))' of \(what) is not valid for Podman")
            }
        }
        if let entry = keys["external"], bool(entry.value, "external of \(what)") == true {
            declared.definition.external = true
            // compose names an external network by its key unless `name:` says otherwise.
            if keys["name"] == nil { declared.definition.name = declared.definition.key }
            declared.settingsLocation = location(entry.keyNode)
        }
        if let entry = keys["internal"], bool(entry.value, "internal of \(what)") == true {
            declared.definition.isInternal = true
            declared.settingsLocation = declared.settingsLocation ?? location(entry.keyNode)
        }
        if let entry = keys["labels"] {
            for item in keyValues(entry.value, "labels of \(what)") ?? [] {
                declared.definition.labels[item.key] = item.value ?? ""
            }
            declared.settingsLocation = declared.settingsLocation ?? location(entry.keyNode)
        }
        if let entry = keys["ipam"] {
            declared.definition.subnets = ipam(entry.value, what: what)
            if !declared.definition.subnets.isEmpty {
                declared.settingsLocation = declared.settingsLocation ?? location(entry.keyNode)
            }
        }
    }

    /// `ipam: {driver: default, config: [{subnet, gateway}]}`.
    private mutating func ipam(_ node: ComposeNode, what: String) -> [NetworkSubnet] {
        let inner = "ipam of \(what)"
        guard let options = mapping(node, inner) else { return [] }
        let keys = knownEntries(
            options, allowed: ["driver", "config"],
            unsupported: ["options": "podstack passes no IPAM driver options; remove it"], context: inner)
        if let driverNode = keys["driver"]?.value, let driver = string(driverNode, "driver of \(inner)"),
            driver != "default"
        {
            report(driverNode, "IPAM driver '\(driver.prefix(40))' of \(what) is not supported by podstack",
                hint: "use default, or leave driver out")
        }
        guard let configNode = keys["config"]?.value, let items = sequence(configNode, "config of \(inner)") else {
            return []
        }
        return items.compactMap { item in
            let context = "an entry of config of \(inner)"
            guard let fields = mapping(item, context) else { return nil }
            let keys = knownEntries(
                fields, allowed: ["subnet", "gateway"],
                unsupported: [
                    "ip_range": "podstack does not pass an address range to Podman yet; remove it",
                    "aux_addresses": "podstack does not reserve addresses; remove it",
                ], context: context)
            guard let subnetNode = keys["subnet"]?.value, let subnet = nonEmptyString(subnetNode, "subnet of \(context)")
            else {
                report(item, "\(context) has no subnet", hint: "write subnet: ADDRESS/PREFIX")
                return nil
            }
            guard Self.isSubnet(subnet) else {
                report(subnetNode, "subnet '\(subnet.prefix(60))' of \(what) is not ADDRESS/PREFIX")
                return nil
            }
            let gateway = keys["gateway"].flatMap { nonEmptyString($0.value, "gateway of \(context)") }
            if let gateway, !Self.isAddress(gateway), let node = keys["gateway"]?.value {
                report(node, "gateway '\(gateway.prefix(60))' of \(what) is not an IP address")
                return nil
            }
            return NetworkSubnet(subnet: subnet, gateway: gateway)
        }
    }

    static func isSubnet(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, isAddress(String(parts[0])), let prefix = Int(parts[1]) else { return false }
        return prefix >= 0 && prefix <= (parts[0].contains(":") ? 128 : 32)
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

    /// The checks of one pod's network as a whole, when its services share one namespace (services that
    /// must be kept apart, or listen on one port, get namespaces of their own: `ownNetworkReason`): the
    /// settings the pod holds once agree, and its services are on one network mode.
    mutating func checkPodNetwork(_ services: [ServiceDefinition]) {
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
        for service in services where mode == "host" { checkHostNetworkAddressing(service) }
        for service in services where !service.ports.isEmpty {
            report(
                at: service.ports[0].location,
                "service '\(service.name)' publishes ports on network_mode \(mode), where there is nothing to publish",
                hint: mode == "host" ? "remove ports: the service listens on the host already" : "remove ports")
        }
    }

    /// A pod on the host's network keeps the host's /etc/hosts and resolv.conf: Podman drops the pod's
    /// `--add-host` and `--dns` there without a word (measured on 4.3.1 and 5.4.2), so they are refused.
    private mutating func checkHostNetworkAddressing(_ service: ServiceDefinition) {
        for key in ["extra_hosts", "dns", "dns_search", "dns_opt", "links"]
        where addressingLocations[AddressingKey(service: service.name, key: key)] != nil {
            report(
                at: where_(service, key),
                "\(key) of service '\(service.name)' cannot apply on network_mode host, which keeps the host's "
                    + "hosts file and DNS settings",
                hint: "remove \(key); on the host's network the services reach each other at 127.0.0.1")
        }
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
