extension NodeReader {
    /// `build:`, a context path or a mapping. Nil (with issues reported) when it cannot be built here: a
    /// Git URL as context, `ssh`, a platform other than the host's, or a key podstack does not pass on.
    mutating func build(_ entry: MappingEntry, pod: PodContext, context: String) -> BuildDefinition? {
        let what = "build of \(context)"
        if case .scalar = entry.value.kind {
            guard let path = buildContext(entry.value, what: what, pod: pod) else { return nil }
            return BuildDefinition(context: path, location: location(entry.keyNode))
        }
        guard let entries = mapping(entry.value, what) else { return nil }
        let keys = knownEntries(
            entries, allowed: ComposeKeys.build, unsupported: ComposeKeys.unsupportedBuild, context: what)
        let contextPath: String?
        if let node = keys["context"]?.value {
            contextPath = buildContext(node, what: what, pod: pod)
        } else {
            contextPath = PathResolution.normalize(entry.value.origin.directory)
        }
        var build = BuildDefinition(context: contextPath ?? "", location: location(entry.keyNode))
        readBuildFile(keys, into: &build, what: what)
        if let node = keys["args"]?.value {
            for item in keyValues(node, "args of \(what)") ?? [] { build.args[item.key] = item.value }
        }
        if let node = keys["target"]?.value { build.target = nonEmptyString(node, "target of \(what)") }
        if let node = keys["labels"]?.value { build.labels = labels(node, context: what) }
        if let node = keys["no_cache"]?.value { build.noCache = bool(node, "no_cache of \(what)") ?? false }
        if let node = keys["pull"]?.value { build.pull = bool(node, "pull of \(what)") ?? false }
        if let node = keys["tags"]?.value { build.tags = imageReferences(node, "tags of \(what)") }
        if let node = keys["platforms"]?.value { checkBuildPlatforms(node, what: what) }
        readRunSettings(keys, into: &build, what: what, pod: pod)
        return contextPath == nil ? nil : build
    }

    /// `dockerfile` or `dockerfile_inline`, never both; a Dockerfile path stays inside the context.
    private mutating func readBuildFile(_ keys: [String: MappingEntry], into build: inout BuildDefinition, what: String) {
        if let node = keys["dockerfile"]?.value, let path = nonEmptyString(node, "dockerfile of \(what)") {
            if path.hasPrefix("/") || path.split(separator: "/").contains("..")             {
                report(
                    node, "dockerfile '\(path.prefix(80))' of \(what) is not a path inside the build context",
                    hint: "write the Dockerfile's path relative to the context, without '..'")
            } else {
                build.dockerfile = path
            }
        }
        if let node = keys["dockerfile_inline"]?.value {
            if keys["dockerfile"] != nil {
                report(node, "\(what) sets both dockerfile and dockerfile_inline", hint: "keep one of them")
            } else {
                build.dockerfileInline = nonEmptyString(node, "dockerfile_inline of \(what)")
            }
        }
    }

    /// The context as an absolute directory. A remote context (a Git or HTTP URL) is refused: podstack
    /// sends a directory of this host.
    private mutating func buildContext(_ node: ComposeNode, what: String, pod: PodContext) -> String? {
        guard let text = nonEmptyString(node, "context of \(what)") else { return nil }
        let remotePrefixes = ["http://", "https://", "git://", "git@", "ssh://", "github.com/"]
        if remotePrefixes.contains(where: { text.lowercased().hasPrefix($0) }) || text.hasSuffix(".git")
            || text.contains("://")
        {
            report(
                node, "context '\(text.prefix(80))' of \(what) is a remote (Git or URL) context",
                hint: "podstack builds from a directory of this host: clone it and set context: to the directory")
            return nil
        }
        guard let path = PathResolution.resolve(text, against: node.origin.directory, home: pod.home) else {
            report(
                node, "context '\(text.prefix(80))' of \(what) cannot be resolved",
                hint: "write an absolute path or one relative to the compose file")
            return nil
        }
        return path
    }

    /// `platforms:` may list only the host's platform: podstack builds for the host it runs on.
    private mutating func checkBuildPlatforms(_ node: ComposeNode, what: String) {
        for platform in words(node, "platforms of \(what)", splitting: false) ?? []
        where !Self.hostPlatforms.contains(platform.lowercased()) {
            report(
                node,
                "platform '\(platform.prefix(40))' in platforms of \(what) is not this host's (\(Self.hostPlatforms[0]))",
                hint: "podstack builds for the host's platform only; remove platforms or list only "
                    + Self.hostPlatforms[0])
        }
    }

    mutating func imageReferences(_ node: ComposeNode, _ what: String) -> [String] {
        let references = words(node, what, splitting: false) ?? []
        for reference in references where reference.isEmpty || reference.contains(where: \.isWhitespace) {
            report(node, "'\(reference.prefix(60))' in \(what) is not an image reference")
        }
        return references.filter { !$0.isEmpty && !$0.contains(where: \.isWhitespace) }
    }
}
