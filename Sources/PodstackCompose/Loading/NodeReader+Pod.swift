import Foundation

/// One file read into a pod, with what the stack-wide checks need beyond the definition itself.
struct ParsedPod {
    var definition: PodDefinition
    /// Services left out because none of their profiles is active; depending on one is an error.
    var servicesOutsideProfiles: Set<String>
    var nameLocation: SourceLocation
    var dependencyLocations: [DependencyKey: SourceLocation]
    /// Where each top-level secret is declared, by the name Podman sees.
    var secretLocations: [String: SourceLocation] = [:]
    /// Where each service with a `container_name` wrote it, by service name.
    var containerNameLocations: [String: SourceLocation] = [:]
}

extension NodeReader {
    /// Reads a project's merged tree into its pods: one, or one per group of services that share no
    /// network with the others (`networkGroups`). `defaultName` names it when no file says `name:`.
    mutating func pods(
        root: ComposeNode?, defaultName: String, home: String?, activeProfiles: Set<String>
    ) -> [ParsedPod] {
        let fileStart = SourceLocation(file: file, line: 1, column: 1)
        guard let root, !Self.isNull(root) else {
            report(at: fileStart, "the file is empty", hint: "a compose file needs services:")
            return []
        }
        guard let entries = mapping(root, "the top level of a compose file") else { return [] }
        let keys = knownEntries(
            entries, allowed: ComposeKeys.topLevel, unsupported: ComposeKeys.unsupportedTopLevel,
            context: "the top level")
        if let version = keys["version"] {
            warnings.append(
                StackIssue(
                    location: location(version.keyNode), message: "'version' is obsolete and ignored",
                    hint: "remove it"))
        }
        let (podName, nameLocation) = podName(keys["name"], defaultName: defaultName, fileStart: fileStart)
        var context = PodContext(
            podName: podName.isEmpty ? "invalid" : podName, home: home, volumes: [:], secrets: [:])
        let volumes = keys["volumes"].map { topLevelVolumes($0.value, pod: context.podName) } ?? []
        let declaredSecrets = keys["secrets"].map { topLevelSecrets($0.value, context: context) } ?? []
        let secrets = declaredSecrets.map(\.secret)
        context.volumes = Dictionary(volumes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        context.secrets = Dictionary(secrets.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        context.configs = keys["configs"].map { topLevelConfigs($0.value, home: home) } ?? [:]
        context.dataDirectory = root.origin.interpolator.variables["PODSTACK_DATA_DIR"]
        let networks = keys["networks"].map { topLevelNetworks($0.value, project: context.podName) } ?? ["default"]
        let (declaredServices, outside) = services(keys["services"], context: context, activeProfiles: activeProfiles)
        let services = expandingReplicas(declaredServices)
        checkDeclaredNetworks(services, declared: networks)
        let groups = networkGroups(services)
        let reasons = groups.map(ownNetworkReason)
        for (group, reason) in zip(groups, reasons) {
            if reason == nil { checkPodNetwork(group) } else { checkOwnNetworkModes(group) }
            checkSharedMemory(group)
            checkUserNamespace(group)
        }
        let definition = PodDefinition(
            name: podName, sourceFile: file, services: services, volumes: volumes + anonymousVolumes,
            secrets: secrets + configSecrets)
        let pod = ParsedPod(
            definition: definition, servicesOutsideProfiles: outside, nameLocation: nameLocation,
            dependencyLocations: dependencyLocations,
            secretLocations: Dictionary(
                declaredSecrets.map { ($0.secret.name, $0.location) }, uniquingKeysWith: { first, _ in first }),
            containerNameLocations: addressingLocations.reduce(into: [:]) { found, item in
                if item.key.key == "container_name" { found[item.key.service] = item.value }
            })
        return zip(split(pod, groups: groups), reasons).map { part, reason in
            reason.map { withOwnNetworks(part, reason: $0, project: context.podName) } ?? part
        }
    }

    /// `name:` as written (checked, not changed), else the name compose derives (already normalised).
    private mutating func podName(
        _ entry: MappingEntry?, defaultName: String, fileStart: SourceLocation
    ) -> (String, SourceLocation) {
        guard let entry else {
            guard !defaultName.isEmpty, PodmanName.isValid(defaultName) else {
                report(
                    at: fileStart, "the file has no name:, and its file name gives none",
                    hint: "add name: POD, or name the project with -p")
                return ("", fileStart)
            }
            return (defaultName, fileStart)
        }
        guard let name = nonEmptyString(entry.value, "name") else { return ("", location(entry.value)) }
        guard PodmanName.isValid(name) else {
            report(
                entry.value, "name '\(name.prefix(60))' is not a valid pod name",
                hint: "use letters, digits, '_', '.' and '-', starting with a letter or digit")
            return ("", location(entry.value))
        }
        return (name, location(entry.value))
    }

    private mutating func services(
        _ entry: MappingEntry?, context: PodContext, activeProfiles: Set<String>
    ) -> (services: [ServiceDefinition], outside: Set<String>) {
        guard let entry else {
            report(
                at: SourceLocation(file: file, line: 1, column: 1), "the file has no services:",
                hint: "add services: with at least one service")
            return ([], [])
        }
        let serviceEntries = mapping(entry.value, "services") ?? []
        if serviceEntries.isEmpty, case .mapping = entry.value.kind {
            report(entry.keyNode, "services is empty", hint: "a pod needs at least one service")
        }
        var services: [ServiceDefinition] = []
        var outside = Set<String>()
        for serviceEntry in serviceEntries {
            guard let service = service(serviceEntry, pod: context, activeProfiles: activeProfiles) else { continue }
            if service.isEnabled(by: activeProfiles) {
                services.append(service)
            } else {
                outside.insert(service.name)
            }
        }
        return (services, outside)
    }

    private mutating func topLevelVolumes(_ node: ComposeNode, pod: String) -> [VolumeDefinition] {
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
            let keys = knownEntries(
                options, allowed: ComposeKeys.topLevelVolume, unsupported: ComposeKeys.unsupportedTopLevelVolume,
                context: what)
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
                    hint: "podstack makes local volumes only; for a plugin's volume, make it yourself (podman volume "
                        + "create --driver \(driver.prefix(40)) NAME) and declare it external: true")
            }
            if let node = keys["driver_opts"]?.value { volume.driverOptions = localDriverOptions(node, what) }
            return volume
        }
    }

    private mutating func topLevelSecrets(
        _ node: ComposeNode, context: PodContext
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
            guard
                let path = PathResolution.resolve(
                    written, against: fileEntry.value.origin.directory, home: context.home)
            else {
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
            if variableEntry.value.origin.interpolator.variables[variable] == nil {
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
