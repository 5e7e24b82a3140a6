extension NodeReader {
    mutating func ports(_ node: ComposeNode, context: String) -> [PortMapping] {
        let what = "ports of \(context)"
        guard let items = sequence(node, what) else { return [] }
        var mappings: [PortMapping] = []
        for item in items {
            if case .mapping = item.kind {
                mappings += longPort(item, what: what)
            } else {
                mappings += shortPort(item, what: what)
            }
        }
        return mappings
    }

    private mutating func shortPort(_ node: ComposeNode, what: String) -> [PortMapping] {
        guard let scalar = scalar(node, "each item of \(what)") else { return [] }
        switch PortSyntax.parse(scalar.value) {
        case .failure(let failure):
            report(node, failure.message, hint: failure.hint)
            return []
        case .success(let parsed):
            return parsed.map { port in
                PortMapping(
                    hostIP: port.hostIP, hostPort: port.hostPort, containerPort: port.containerPort,
                    protocol: port.transport, hostPortVariable: scalar.variable(covering: port.hostPortOffsets),
                    location: location(node))
            }
        }
    }

    private mutating func longPort(_ node: ComposeNode, what: String) -> [PortMapping] {
        guard let entries = mapping(node, "each item of \(what)") else { return [] }
        let keys = knownEntries(entries, allowed: ComposeKeys.port, context: what)
        guard let targetNode = keys["target"]?.value else {
            report(node, "a port in \(what) needs a target (the container port)")
            return []
        }
        let (hostIP, transport) = longPortOptions(keys, what: what)
        guard let target = scalar(targetNode, "target of \(what)") else { return [] }
        // Without `published`, Podman picks the host port, as compose has it.
        let published = keys["published"].flatMap { scalar($0.value, "published of \(what)") }
        if keys["published"] != nil, published == nil { return [] }
        do throws(PortSyntax.Failure) {
            let containerPorts = try PortSyntax.parseRange(target.value.trimmingWhitespace)
            var hostPorts = containerPorts.map { _ in PortMapping.podmanPicksHostPort }
            if let published { hostPorts = try PortSyntax.parseRange(published.value.trimmingWhitespace) }
            guard hostPorts.count == containerPorts.count else {
                report(
                    node,
                    "a port in \(what) maps \(hostPorts.count) host port(s) to \(containerPorts.count) container port(s)"
                )
                return []
            }
            let variable = published?.substitutions.first?.variable
            return zip(hostPorts, containerPorts).map { host, container in
                PortMapping(
                    hostIP: hostIP, hostPort: host, containerPort: container, protocol: transport,
                    hostPortVariable: variable, location: location(node))
            }
        } catch {
            report(node, error.message, hint: error.hint)
            return []
        }
    }

    /// The address and protocol of a long-syntax port, defaults filled in; the other keys are checked.
    private mutating func longPortOptions(
        _ keys: [String: MappingEntry], what: String
    ) -> (hostIP: String, transport: PortMapping.TransportProtocol) {
        var hostIP = PortMapping.defaultHostIP
        // An empty host_ip is no address given, as in the short form's `:2283:2283`.
        if let node = keys["host_ip"]?.value, let address = string(node, "host_ip of \(what)"), !address.isEmpty {
            do throws(PortSyntax.Failure) {
                try PortSyntax.validateAddress(address, in: address)
                hostIP = address
            } catch {
                report(node, error.message, hint: error.hint)
            }
        }
        var transport = PortMapping.TransportProtocol.tcp
        if let node = keys["protocol"]?.value, let text = string(node, "protocol of \(what)") {
            do throws(PortSyntax.Failure) {
                transport = try PortSyntax.parseProtocol(text)
            } catch {
                report(node, error.message, hint: error.hint)
            }
        }
        if let node = keys["mode"]?.value, let mode = string(node, "mode of \(what)"), mode != "host" {
            report(
                node, "port mode '\(mode.prefix(20))' is not supported by podstack",
                hint: "use mode: host, or leave it out")
        }
        _ = keys["name"].map { string($0.value, "name of \(what)") }
        _ = keys["app_protocol"].map { string($0.value, "app_protocol of \(what)") }
        return (hostIP, transport)
    }

    /// `expose:` opens container ports to the other services and not to the host. The services of a pod
    /// share one network namespace, so each already reaches every port of the others: the key is checked
    /// (a port or range, with an optional protocol) and needs nothing more.
    mutating func checkExposedPorts(_ node: ComposeNode, context: String) {
        let what = "expose of \(context)"
        for item in sequence(node, what) ?? [] {
            guard let text = string(item, "each item of \(what)")?.trimmingWhitespace else { continue }
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            do throws(PortSyntax.Failure) {
                _ = try PortSyntax.parseRange(parts.first ?? "")
                if parts.count == 2 { _ = try PortSyntax.parseProtocol(parts[1]) }
            } catch {
                report(item, "\(error.message) in \(what)", hint: error.hint)
            }
        }
    }
}
