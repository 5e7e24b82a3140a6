extension NodeReader {
    /// The user-namespace modes of Podman: `keep-id` (the rootless user's uid and gid inside, so files keep
    /// their owner; `keep-id:uid=N,gid=N` too), `host` (the rootless user's own namespace, Podman's default),
    /// `auto` (a fresh range from /etc/subuid; `auto:size=N`), `nomap` (the user itself not mapped).
    static let usernsModes: Set<String> = ["keep-id", "host", "auto", "nomap"]

    /// `userns_mode`: in a pod the user namespace is the pod's (its infra container holds it), so the mode
    /// is set on the pod; `checkUserNamespace` refuses services that ask for different ones.
    mutating func readUserNamespace(
        _ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String
    ) {
        guard let node = keys["userns_mode"]?.value,
            let mode = nonEmptyString(node, "userns_mode of \(context)")?.trimmingWhitespace
        else { return }
        let base = String(mode.prefix { $0 != ":" })
        guard Self.usernsModes.contains(base), base == "keep-id" || base == "auto" || base == mode else {
            report(
                node, "userns_mode '\(mode.prefix(60))' of \(context) is not a user namespace Podman gives a pod",
                hint: "use keep-id (keep-id:uid=N,gid=N), host, auto (auto:size=N) or nomap")
            return
        }
        service.usernsMode = mode
        addressingLocations[AddressingKey(service: service.name, key: "userns_mode")] = location(node)
    }

    /// The pod has one user namespace: two services may not ask for two modes.
    mutating func checkUserNamespace(_ services: [ServiceDefinition]) {
        guard let first = services.first(where: { $0.usernsMode != nil }) else { return }
        let firstLocation =
            addressingLocations[AddressingKey(service: first.name, key: "userns_mode")] ?? first.location
        for service in services {
            guard let mode = service.usernsMode, mode != first.usernsMode else { continue }
            report(
                at: addressingLocations[AddressingKey(service: service.name, key: "userns_mode")] ?? service.location,
                "userns_mode '\(mode.prefix(60))' of service '\(service.name)' differs from '\(first.usernsMode ?? "")' of "
                    + "service '\(first.name)' (\(firstLocation.file):\(firstLocation.line)); the services of a pod share "
                    + "one user namespace",
                hint: "give them the same userns_mode, or leave it out of all but one")
        }
    }
}

extension PodDefinition {
    /// The pod's user-namespace mode (`keep-id`...), which its services share; nil for Podman's default.
    public var usernsMode: String? { services.compactMap(\.usernsMode).first }
}
