/// Where a service wrote one of its addressing keys, for the pod-wide checks.
struct AddressingKey: Hashable {
    var service: String
    var key: String
}

extension NodeReader {
    /// `container_name`, `hostname`, `networks`, `links`, `extra_hosts` and `dns*` of one service. What
    /// belongs to the pod is kept on the service and gathered by `PodDefinition.network`; the pod-wide
    /// checks (`checkPodNetwork`) run once every service is read.
    mutating func readAddressing(
        _ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String
    ) {
        for (key, entry) in keys where ComposeKeys.addressing.contains(key) {
            addressingLocations[AddressingKey(service: service.name, key: key)] = location(entry.value)
        }
        if let node = keys["container_name"]?.value, let name = nonEmptyString(node, "container_name of \(context)") {
            if PodmanName.isValid(name) {
                service.containerName = name
            } else {
                report(
                    node, "container_name '\(name.prefix(60))' of \(context) is not a valid container name",
                    hint: "use letters, digits, '_', '.' and '-', starting with a letter or digit")
            }
        }
        if let node = keys["hostname"]?.value, let name = hostName(node, "hostname of \(context)") {
            service.addressing.hostname = name
        }
        serviceNetworks[service.name] = ["default"]
        if let node = keys["networks"]?.value { readNetworks(node, into: &service, context: context) }
        if let node = keys["links"]?.value { readLinks(node, into: &service, context: context) }
        if let node = keys["network_mode"]?.value { readNetworkMode(node, keys, into: &service, context: context) }
        if let node = keys["extra_hosts"]?.value {
            service.addressing.extraHosts = extraHosts(node, "extra_hosts of \(context)")
        }
        if let node = keys["dns"]?.value {
            service.addressing.dnsServers = listOrOne(node, "dns of \(context)").filter { text in
                guard Self.isAddress(text) else {
                    report(node, "dns server '\(text.prefix(60))' of \(context) is not an IP address")
                    return false
                }
                return true
            }
        }
        if let node = keys["dns_search"]?.value {
            service.addressing.dnsSearch = listOrOne(node, "dns_search of \(context)")
        }
        if let node = keys["dns_opt"]?.value {
            service.addressing.dnsOptions = words(node, "dns_opt of \(context)", splitting: false) ?? []
        }
    }

    /// `networks:` as a list of names or a mapping of name to options; only `aliases` means something in
    /// one pod (each alias resolves to the pod like the service name).
    private mutating func readNetworks(_ node: ComposeNode, into service: inout ServiceDefinition, context: String) {
        let what = "networks of \(context)"
        if case .sequence = node.kind {
            serviceNetworks[service.name] = words(node, what, splitting: false) ?? []
            return
        }
        guard let entries = mapping(node, what) else { return }
        serviceNetworks[service.name] = entries.map(\.key)
        for entry in entries where !Self.isNull(entry.value) {
            let inner = "network '\(entry.key)' of \(context)"
            guard let options = mapping(entry.value, inner) else { continue }
            let keys = knownEntries(
                options, allowed: ["aliases", "ipv4_address"],
                unsupported: ComposeKeys.unsupportedServiceNetwork, context: inner)
            var attachment = NetworkAttachment(network: entry.key)
            if let aliases = keys["aliases"]?.value {
                for alias in words(aliases, "aliases of \(inner)", splitting: false) ?? [] {
                    if Self.isHostName(alias) {
                        service.addressing.aliases.append(alias)
                        attachment.aliases.append(alias)
                    } else {
                        report(aliases, "alias '\(alias.prefix(60))' of \(inner) is not a host name")
                    }
                }
            }
            // A fixed address needs a real network: the service's pod then gives each service a network
            // namespace of its own (OwnNetworkReason.fixedAddress).
            attachment.ipv4Address = keys["ipv4_address"].flatMap { address($0.value, "ipv4_address of \(inner)") }
            serviceNetworkOptions[service.name, default: [:]][entry.key] = attachment
        }
    }

    private mutating func address(_ node: ComposeNode, _ what: String) -> String? {
        guard let text = nonEmptyString(node, what) else { return nil }
        guard Self.isAddress(text) else {
            report(node, "\(what) '\(text.prefix(60))' is not an IP address")
            return nil
        }
        return text
    }

    /// `links: [db, "db:database"]`: compose's meaning is "start after db, and reach it as database".
    /// In the pod db is reached at its name already; the alias becomes one more name of the pod.
    private mutating func readLinks(_ node: ComposeNode, into service: inout ServiceDefinition, context: String) {
        guard let items = sequence(node, "links of \(context)") else { return }
        for item in items {
            guard let text = nonEmptyString(item, "each item of links of \(context)") else { continue }
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            let target = parts[0]
            if parts.count == 2 {
                guard Self.isHostName(parts[1]) else {
                    report(item, "alias '\(parts[1].prefix(60))' in links of \(context) is not a host name")
                    continue
                }
                service.addressing.aliases.append(parts[1])
                linkAliases[target, default: []].append(parts[1])
            }
            if !service.dependsOn.contains(where: { $0.service == target }) {
                service.dependsOn.append(Dependency(service: target))
                dependencyLocations[DependencyKey(service: service.name, dependency: target)] = location(item)
            }
        }
    }

    /// `network_mode`: `host` and `none` become the pod's network; `service:NAME` (and `container:NAME` of a
    /// service's container) is what every service of a pod has already, and orders the start as compose does.
    private mutating func readNetworkMode(
        _ node: ComposeNode, _ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String
    ) {
        guard let mode = nonEmptyString(node, "network_mode of \(context)") else { return }
        if keys["networks"] != nil {
            report(node, "\(context) sets both network_mode and networks", hint: "keep one of them")
            return
        }
        serviceNetworks[service.name] = nil
        switch mode {
        case "host", "none": service.addressing.networkMode = mode
        case "bridge", "default": serviceNetworks[service.name] = ["default"]
        case let shared where shared.hasPrefix("service:"):
            let target = String(shared.dropFirst("service:".count))
            sharedNetworkService[service.name] = target
            if !service.dependsOn.contains(where: { $0.service == target }) {
                service.dependsOn.append(Dependency(service: target))
                dependencyLocations[DependencyKey(service: service.name, dependency: target)] = location(node)
            }
        default:
            report(
                node, "network_mode '\(mode.prefix(60))' of \(context) is not supported by podstack",
                hint: "use host, none or service:NAME; the services of a pod share one network namespace")
        }
    }

    /// `extra_hosts` as `- name:address`, `- name=address` or `name: address` (or a list of addresses). The
    /// address may be `host-gateway`, which the spec builder translates for the Podman at hand.
    private mutating func extraHosts(_ node: ComposeNode, _ what: String) -> [HostEntry] {
        var pairs: [(name: String, address: String, node: ComposeNode)] = []
        if case .sequence(let items) = node.kind {
            for item in items {
                guard let text = string(item, "each item of \(what)") else { continue }
                guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                    report(item, "'\(text.prefix(60))' in \(what) needs a name and an address", hint: "write NAME:ADDRESS")
                    continue
                }
                pairs.append((String(text[..<separator]), String(text[text.index(after: separator)...]), item))
            }
        } else {
            for entry in mapping(node, what) ?? [] {
                for address in listOrOne(entry.value, "'\(entry.key)' of \(what)") {
                    pairs.append((entry.key, address, entry.value))
                }
            }
        }
        return pairs.compactMap { pair in
            let address = pair.address == HostEntry.hostGateway || Self.isAddress(pair.address)
            guard Self.isHostName(pair.name), address else {
                report(pair.node, "'\(pair.name.prefix(40)):\(pair.address.prefix(40))' in \(what) is not NAME:ADDRESS")
                return nil
            }
            return HostEntry(name: pair.name, address: pair.address)
        }
    }

    /// A string, or a list of strings.
    mutating func listOrOne(_ node: ComposeNode, _ what: String) -> [String] {
        if case .scalar = node.kind { return nonEmptyString(node, what).map { [$0] } ?? [] }
        return words(node, what, splitting: false) ?? []
    }

    private mutating func hostName(_ node: ComposeNode, _ what: String) -> String? {
        guard let text = nonEmptyString(node, what) else { return nil }
        guard Self.isHostName(text) else {
            report(node, "\(what) '\(text.prefix(60))' is not a host name", hint: "use letters, digits, '-' and '.'")
            return nil
        }
        return text
    }

    static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 253
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." || $0 == "_" }
    }

    static func isAddress(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 45 && text.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
            && (text.contains(".") || text.contains(":"))
    }
}
