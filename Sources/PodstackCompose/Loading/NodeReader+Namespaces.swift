extension NodeReader {
    /// `pid`, `ipc` and `uts`: each a setting of the service's own container, which Podman lets a container
    /// of a pod choose. `service:NAME` orders the start after NAME, whose container must exist to be joined.
    mutating func readNamespaces(_ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String)
    {
        let allowed: [(key: String, modes: [String])] = [
            ("pid", ["host"]), ("ipc", ["host", "private", "shareable", "none"]), ("uts", ["host"]),
        ]
        var namespaces = ServiceNamespaces()
        for (key, modes) in allowed {
            guard let node = keys[key]?.value, let text = nonEmptyString(node, "\(key) of \(context)") else { continue }
            let mode: ServiceNamespaces.Mode
            switch text {
            case "host": mode = .host
            case "private" where modes.contains(text): mode = .private
            case "shareable" where modes.contains(text): mode = .shareable
            case "none" where modes.contains(text): mode = .privateWithoutShm
            case let shared where shared.hasPrefix("service:") && key != "uts":
                let target = String(shared.dropFirst("service:".count))
                mode = .service(target)
                if !service.dependsOn.contains(where: { $0.service == target }) {
                    service.dependsOn.append(Dependency(service: target))
                    dependencyLocations[DependencyKey(service: service.name, dependency: target)] = location(node)
                }
            default:
                let choices = (modes + (key == "uts" ? [] : ["service:NAME"])).joined(separator: ", ")
                report(
                    node, "\(key) '\(text.prefix(60))' of \(context) is not supported by podstack",
                    hint: text.hasPrefix("container:")
                        ? "podstack joins only the stack's own containers: use service:NAME"
                        : "use \(choices)")
                continue
            }
            switch key {
            case "pid": namespaces.pid = mode
            case "ipc": namespaces.ipc = mode
            default: namespaces.uts = mode
            }
        }
        if namespaces.uts == .host, service.addressing.hostname != nil, let node = keys["uts"]?.value {
            report(
                node,
                "\(context) sets both uts: host and hostname; on the host's UTS namespace the hostname is "
                    + "the host's", hint: "keep one of them")
        }
        service.namespaces = namespaces
    }
}
