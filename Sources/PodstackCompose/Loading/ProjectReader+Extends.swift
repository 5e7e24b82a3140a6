import Foundation

/// `extends:` as compose has it: `extends: NAME` or `extends: {service: NAME, file: PATH}`. The named
/// service (its own `extends` resolved first) is the base and the extending service merges onto it with
/// the same rules as files do. A service of another file keeps that file's directory for its relative
/// paths. A chain that comes back to a service is an error that names every step.
extension ProjectReader {
    /// One step of a chain: which service, in which file (nil: the project itself), and where it says so.
    private struct ExtendsStep {
        var file: String?
        var service: String
        var location: SourceLocation

        var key: String { (file ?? "") + "\u{0}" + service }
    }

    mutating func resolvingExtends(_ root: ComposeNode) -> ComposeNode {
        guard let services = root["services"], let entries = services.entries,
            entries.contains(where: { $0.value["extends"] != nil })
        else { return root }
        let resolved = entries.map { entry in
            MappingEntry(
                key: entry.key, keyNode: entry.keyNode,
                value: resolve(entry.key, in: services, file: nil, chain: []) ?? entry.value)
        }
        var rootEntries = root.entries ?? []
        if let index = rootEntries.firstIndex(where: { $0.key == "services" }) {
            rootEntries[index].value = services.with(.mapping(resolved))
        }
        return root.with(.mapping(rootEntries))
    }

    private mutating func resolve(
        _ name: String, in services: ComposeNode, file: String?, chain: [ExtendsStep]
    ) -> ComposeNode? {
        guard let service = services[name] else { return nil }
        guard let extends = service["extends"] else { return service }
        let local = service.removing(keys: ["extends"])
        guard let target = extendsTarget(extends) else { return local }
        let step = ExtendsStep(file: file, service: name, location: extends.location)
        let targetFile = target.file.map { path in
            PathResolution.resolve(path, against: extends.origin.directory, home: nil) ?? path
        }
        let next = ExtendsStep(file: targetFile ?? file, service: target.service, location: extends.location)
        if let start = (chain + [step]).firstIndex(where: { $0.key == next.key }) {
            let steps = (chain + [step])[start...].map { "'\($0.service)' (\($0.location))" }
            report(
                extends, "extends makes a cycle: " + (steps + ["'\(target.service)'"]).joined(separator: " -> "),
                hint: "a service cannot extend itself, directly or through others")
            return local
        }
        guard chain.count < Self.maximumFileDepth else {
            report(extends, "extends nests deeper than \(Self.maximumFileDepth) services")
            return local
        }
        var baseServices = services
        if let targetFile {
            guard FileManager.default.fileExists(atPath: targetFile),
                let root = extendedFile(targetFile, interpolator: extends.origin.interpolator, chain: [])
            else {
                report(extends, "extends names file '\(targetFile.prefix(120))', which cannot be read")
                return local
            }
            baseServices = root["services"] ?? root.with(.mapping([]))
        }
        guard let base = resolve(target.service, in: baseServices, file: next.file, chain: chain + [step]) else {
            report(
                extends,
                "extends names service '\(target.service.prefix(60))', which "
                    + (targetFile.map { "\($0) does not define" } ?? "this project does not define"))
            return local
        }
        return ComposeMerger.mergeService(base, local)
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
