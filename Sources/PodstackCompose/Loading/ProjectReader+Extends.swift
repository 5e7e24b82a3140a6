import Foundation

/// `extends:` as compose has it: `extends: NAME` or `extends: {service: NAME, file: PATH}`. The named
/// service (its own `extends` resolved first) is the base and the extending service merges onto it with
/// the same rules as files do. A service of another file keeps that file's directory for its relative
/// paths. A chain that comes back to a service is an error that names every step.
extension ProjectReader {
    /// One step of a chain: a service (known by the file it is written in and its name) and its `extends`.
    private struct ExtendsStep {
        var key: String
        var service: String
        var extends: ComposeNode
    }

    mutating func resolvingExtends(_ root: ComposeNode) -> ComposeNode {
        guard let services = root["services"], let entries = services.entries,
            entries.contains(where: { $0.value["extends"] != nil })
        else { return root }
        let resolved = entries.map { entry in
            let reported = issues.count
            let value = resolve(entry.key, in: services, chain: []) ?? entry.value
            if issues.count > reported { servicesWithBrokenExtends.insert(entry.key) }
            return MappingEntry(key: entry.key, keyNode: entry.keyNode, value: value)
        }
        var rootEntries = root.entries ?? []
        if let index = rootEntries.firstIndex(where: { $0.key == "services" }) {
            rootEntries[index].value = services.with(.mapping(resolved))
        }
        return root.with(.mapping(rootEntries))
    }

    /// The service with its `extends` resolved; nil when `services` has no such service.
    private mutating func resolve(_ name: String, in services: ComposeNode, chain: [ExtendsStep]) -> ComposeNode? {
        guard let service = services[name] else { return nil }
        let key = service.origin.file + "\u{0}" + name
        if let start = chain.firstIndex(where: { $0.key == key }), let last = chain.last {
            let steps = chain[start...].map { "'\($0.service)' (\($0.extends.location))" }
            report(
                last.extends, "extends makes a cycle: " + (steps + ["'\(name)'"]).joined(separator: " -> "),
                hint: "a service cannot extend itself, directly or through others")
            return service.removing(keys: ["extends"])
        }
        guard let extends = service["extends"] else { return service }
        let local = service.removing(keys: ["extends"])
        guard let target = extendsTarget(extends) else { return local }
        guard chain.count < Self.maximumFileDepth else {
            report(extends, "extends nests deeper than \(Self.maximumFileDepth) services")
            return local
        }
        var baseServices = services
        var targetFile: String?
        if let file = target.file {
            let path = PathResolution.resolve(file, against: extends.origin.directory, home: nil) ?? file
            guard FileManager.default.fileExists(atPath: path),
                let root = extendedFile(path, interpolator: extends.origin.interpolator, at: extends)
            else {
                report(extends, "extends names file '\(path.prefix(120))', which cannot be read")
                return local
            }
            baseServices = extendedServices(root, path: path, at: extends)
            targetFile = path
        }
        let step = ExtendsStep(key: key, service: name, extends: extends)
        guard let base = resolve(target.service, in: baseServices, chain: chain + [step]) else {
            report(
                extends,
                "extends names service '\(target.service.prefix(60))', which "
                    + (targetFile.map { "\($0) does not define" } ?? "this project does not define"))
            return local
        }
        return ComposeMerger.mergeService(base, local)
    }

    /// The services of a file named by `extends: {file:}`: those under `services:`, or, in a file of
    /// compose's first format (no `services:`, and every top-level key a mapping of service keys), the top
    /// level itself, as podman-compose reads it; compose no longer does, so that is said once per file.
    private mutating func extendedServices(_ root: ComposeNode, path: String, at extends: ComposeNode) -> ComposeNode {
        if let services = root["services"] { return services }
        guard Self.isFirstFormat(root) else { return root.with(.mapping([])) }
        if firstFormatFiles.insert(path).inserted {
            warnings.append(
                StackIssue(
                    location: extends.location,
                    message: "extends reads \(path) in compose's first format (services at the top level, without "
                        + "services:), as podman-compose does; docker compose no longer reads such a file",
                    hint: "put that file's services under services:"))
        }
        return root
    }

    /// No `services:`, and each top-level entry a non-empty mapping whose keys are all service keys.
    static func isFirstFormat(_ root: ComposeNode) -> Bool {
        guard root["services"] == nil, let entries = root.entries, !entries.isEmpty else { return false }
        return entries.allSatisfy { entry in
            guard let keys = entry.value.entries, !keys.isEmpty else { return false }
            return keys.allSatisfy { key in
                ComposeKeys.service.contains(key.key) || ComposeKeys.unsupportedService[key.key] != nil
                    || key.key == "extends" || ComposeKeys.isExtension(key.key)
            }
        }
    }

    private mutating func extendsTarget(_ extends: ComposeNode) -> (service: String, file: String?)? {
        if let text = extends.text { return (text, nil) }
        guard let entries = extends.entries else {
            report(extends, "extends must name a service, or be a mapping with service: and file:")
            return nil
        }
        for entry in entries where !["service", "file"].contains(entry.key) {
            report(entry.keyNode, "unknown key '\(entry.key.prefix(40))' in extends", hint: "use service and file")
        }
        guard let service = extends["service"]?.text, !service.isEmpty else {
            report(extends, "extends needs service: the name of the service to extend")
            return nil
        }
        return (service, extends["file"]?.text)
    }
}
