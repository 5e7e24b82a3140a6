import Foundation
import Yams

/// One file read into a pod, with what the stack-wide checks need beyond the definition itself.
struct ParsedPod {
    var definition: PodDefinition
    /// Services left out because none of their profiles is active; depending on one is an error.
    var servicesOutsideProfiles: Set<String>
    var nameLocation: SourceLocation
    var dependencyLocations: [DependencyKey: SourceLocation]
    /// Where each top-level secret is declared, by the name Podman sees.
    var secretLocations: [String: SourceLocation] = [:]
}

extension NodeReader {
    mutating func pod(
        root: Node?, directory: String, home: String?, activeProfiles: Set<String>
    ) -> ParsedPod? {
        let fileStart = SourceLocation(file: file, line: 1, column: 1)
        guard let root, !Self.isNull(root) else {
            report(at: fileStart, "the file is empty", hint: "a compose file needs name: and services:")
            return nil
        }
        guard let entries = mapping(root, "the top level of a compose file") else { return nil }
        let keys = knownEntries(
            entries, allowed: ComposeKeys.topLevel, unsupported: ComposeKeys.unsupportedTopLevel,
            context: "the top level")
        if let version = keys["version"] {
            warnings.append(
                StackIssue(
                    location: location(version.keyNode), message: "'version' is obsolete and ignored",
                    hint: "remove it"))
        }
        var podName = ""
        var nameLocation = fileStart
        if let entry = keys["name"] {
            nameLocation = location(entry.value)
            if let name = nonEmptyString(entry.value, "name") {
                if PodmanName.isValid(name) {
                    podName = name
                } else {
                    report(
                        entry.value, "name '\(name.prefix(60))' is not a valid pod name",
                        hint: "use letters, digits, '_', '.' and '-', starting with a letter or digit")
                }
            }
        } else {
            report(
                at: fileStart, "the file has no name:", hint: "add name: POD; each file describes one pod, named by it")
        }
        var context = PodContext(
            podName: podName.isEmpty ? "invalid" : podName, directory: directory, home: home, volumes: [:], secrets: [:]
        )
        let volumes = keys["volumes"].map { topLevelVolumes($0.value, pod: context.podName) } ?? []
        let declaredSecrets = keys["secrets"].map { topLevelSecrets($0.value, context: context) } ?? []
        let secrets = declaredSecrets.map(\.secret)
        context.volumes = Dictionary(volumes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        context.secrets = Dictionary(secrets.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })

        var services: [ServiceDefinition] = []
        var outside = Set<String>()
        if let entry = keys["services"] {
            let serviceEntries = mapping(entry.value, "services") ?? []
            if serviceEntries.isEmpty, case .mapping = entry.value {
                report(entry.keyNode, "services is empty", hint: "a pod needs at least one service")
            }
            for serviceEntry in serviceEntries {
                guard let service = service(serviceEntry, pod: context) else { continue }
                if service.profiles.isEmpty || !activeProfiles.isDisjoint(with: service.profiles) {
                    services.append(service)
                } else {
                    outside.insert(service.name)
                }
            }
        } else {
            report(at: fileStart, "the file has no services:", hint: "add services: with at least one service")
        }
        let definition = PodDefinition(
            name: podName, sourceFile: file, services: services, volumes: volumes, secrets: secrets)
        return ParsedPod(
            definition: definition, servicesOutsideProfiles: outside, nameLocation: nameLocation,
            dependencyLocations: dependencyLocations,
            secretLocations: Dictionary(
                declaredSecrets.map { ($0.secret.name, $0.location) }, uniquingKeysWith: { first, _ in first }))
    }

    private mutating func topLevelVolumes(_ node: Node, pod: String) -> [VolumeDefinition] {
        guard let entries = mapping(node, "volumes") else { return [] }
        return entries.compactMap { entry in
            guard PodmanName.isValid(entry.key) else {
                report(entry.keyNode, "volume name '\(entry.key.prefix(60))' is not valid for Podman")
                return nil
            }
            var volume = VolumeDefinition(name: "\(pod)_\(entry.key)", key: entry.key)
            if Self.isNull(entry.value) { return volume }
            let what = "volume '\(entry.key)'"
            guard let options = mapping(entry.value, what) else { return nil }
            let keys = knownEntries(options, allowed: ComposeKeys.topLevelVolume, context: what)
            if let node = keys["name"]?.value, let name = nonEmptyString(node, "name of \(what)") {
                if PodmanName.isValid(name) {
                    volume.name = name
                } else {
                    report(node, "name '\(name.prefix(60))' of \(what) is not valid for Podman")
                }
            }
            if let node = keys["labels"]?.value {
                for item in keyValues(node, "labels of \(what)") ?? [] { volume.labels[item.key] = item.value ?? "" }
            }
            if let node = keys["external"]?.value { volume.external = bool(node, "external of \(what)") ?? false }
            if let node = keys["driver"]?.value, let driver = string(node, "driver of \(what)"), driver != "local" {
                report(
                    node, "volume driver '\(driver.prefix(40))' is not supported by podstack",
                    hint: "use local, or leave it out")
            }
            return volume
        }
    }

    private mutating func topLevelSecrets(
        _ node: Node, context: PodContext
    ) -> [(secret: SecretDefinition, location: SourceLocation)] {
        guard let entries = mapping(node, "secrets") else { return [] }
        return entries.compactMap { entry -> (secret: SecretDefinition, location: SourceLocation)? in
            let location = location(entry.keyNode)
            return topLevelSecret(entry, context: context).map { ($0, location) }
        }
    }

    private mutating func topLevelSecret(_ entry: MappingEntry, context: PodContext) -> SecretDefinition? {
        let what = "secret '\(entry.key)'"
        guard PodmanName.isValid(entry.key) else {
            report(entry.keyNode, "secret name '\(entry.key.prefix(60))' is not valid for Podman")
            return nil
        }
        guard let options = mapping(entry.value, what) else { return nil }
        let keys = knownEntries(
            options, allowed: ComposeKeys.topLevelSecret,
            unsupported: ["external": "podstack creates the secrets it uses; give file: or environment:"],
            context: what)
        let generate =
            keys["x-podstack-generate"].flatMap { bool($0.value, "x-podstack-generate of \(what)") } ?? false
        var name = "\(context.podName)_\(entry.key)"
        if let node = keys["name"]?.value, let given = nonEmptyString(node, "name of \(what)") { name = given }
        switch (keys["file"], keys["environment"]) {
        case (let fileEntry?, nil):
            guard let written = nonEmptyString(fileEntry.value, "file of \(what)") else { return nil }
            guard let path = PathResolution.resolve(written, against: context.directory, home: context.home) else {
                report(
                    fileEntry.value, "file '\(written.prefix(80))' of \(what) cannot be resolved",
                    hint: "HOME is not set")
                return nil
            }
            if !generate, !FileManager.default.fileExists(atPath: path) {
                report(
                    fileEntry.value, "file '\(path.prefix(120))' of \(what) does not exist",
                    hint: "create it with the secret in it (mode 0600), or add x-podstack-generate: true to have "
                        + "podstack write a random one")
            }
            return SecretDefinition(
                key: entry.key, name: name, source: .file(path: path), generateIfMissing: generate)
        case (nil, let variableEntry?):
            guard let variable = nonEmptyString(variableEntry.value, "environment of \(what)") else { return nil }
            if interpolator.variables[variable] == nil {
                report(
                    variableEntry.value, "variable \(variable.prefix(60)) of \(what) is not set",
                    hint: "set it in the environment, in .env beside the compose files, or in an --env-file")
            }
            return SecretDefinition(key: entry.key, name: name, source: .environment(variable: variable))
        default:
            report(entry.keyNode, "\(what) needs exactly one of file: or environment:")
            return nil
        }
    }
}
