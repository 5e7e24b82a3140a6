extension NodeReader {
    /// What the RUN steps get (`network`, `extra_hosts`, `secrets`, `shm_size`), `cache_from` and `cache_to`.
    mutating func readRunSettings(
        _ keys: [String: MappingEntry], into build: inout BuildDefinition, what: String, pod: PodContext
    ) {
        if let node = keys["network"]?.value, let network = nonEmptyString(node, "network of \(what)") {
            switch network {
            case "host", "none": build.network = network
            case "default": build.network = nil
            default:
                report(
                    node, "network '\(network.prefix(60))' of \(what) is a named network",
                    hint: "podstack creates no networks; a build can use network: host, none or default")
            }
        }
        if let node = keys["extra_hosts"]?.value { build.extraHosts = buildHosts(node, "extra_hosts of \(what)") }
        if let node = keys["secrets"]?.value {
            build.secrets = secretReferences(node, context: what, pod: pod).compactMap { reference in
                guard let secret = pod.secrets[reference.source] else { return nil }
                // A long-form target names the id the RUN step mounts; it is kept as written.
                let id = reference.target.hasPrefix("/run/secrets/")
                    ? String(reference.target.dropFirst("/run/secrets/".count)) : reference.target
                return BuildSecretUse(id: id, source: secret.source)
            }
        }
        if let node = keys["shm_size"]?.value { build.shmSize = byteSize(node, "shm_size of \(what)").map(Int.init) }
        if let node = keys["cache_from"]?.value { build.cacheFrom = cacheSources(node, "cache_from of \(what)") }
        if let node = keys["cache_to"]?.value { build.cacheTo = cacheSources(node, "cache_to of \(what)") }
    }

    /// `extra_hosts` of a build, as a service writes them (`NAME:ADDRESS`, `NAME=ADDRESS` or a mapping), as
    /// `name:address` lines. `host-gateway` is kept: whether Podman's build knows it is decided at build time.
    private mutating func buildHosts(_ node: ComposeNode, _ what: String) -> [String] {
        var pairs: [(name: String, address: String)] = []
        if case .sequence = node.kind {
            for text in words(node, what, splitting: false) ?? [] {
                guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                    report(node, "'\(text.prefix(60))' in \(what) needs a name and an address", hint: "write NAME:ADDRESS")
                    continue
                }
                pairs.append((String(text[..<separator]), String(text[text.index(after: separator)...])))
            }
        } else {
            for entry in mapping(node, what) ?? [] {
                pairs += listOrOne(entry.value, "'\(entry.key)' of \(what)").map { (entry.key, $0) }
            }
        }
        return pairs.compactMap { pair in
            guard Self.isHostName(pair.name), pair.address == "host-gateway" || Self.isAddress(pair.address) else {
                report(node, "'\(pair.name.prefix(40)):\(pair.address.prefix(40))' in \(what) is not NAME:ADDRESS")
                return nil
            }
            return "\(pair.name):\(pair.address)"
        }
    }

    /// `cache_from` and `cache_to`: image repositories (`NAME` or `type=registry,ref=NAME`). Buildah takes its cache from
    /// a repository only: other kinds (local directories, gha, s3) are refused.
    private mutating func cacheSources(_ node: ComposeNode, _ what: String) -> [String] {
        imageReferences(node, what).compactMap { source in
            guard source.contains("=") else { return source }
            let fields = Dictionary(
                source.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
                    .filter { $0.count == 2 }.map { ($0[0], $0[1]) }
            ) { first, _ in first }
            guard fields["type"] == "registry", let reference = fields["ref"] else {
                report(
                    node, "'\(source.prefix(60))' in \(what) is not an image repository",
                    hint: "Podman's build takes its cache from an image repository only: write NAME or "
                        + "type=registry,ref=NAME, or remove it")
                return nil
            }
            return reference
        }
    }

    /// `pull_policy:` as compose defines it; `build` needs `build:`.
    mutating func pullPolicy(_ node: ComposeNode, hasBuild: Bool, context: String) -> PullPolicy {
        guard let text = nonEmptyString(node, "pull_policy of \(context)") else { return .missing }
        guard let policy = PullPolicy(compose: text) else {
            report(
                node, "pull_policy '\(text.prefix(40))' of \(context) is not a pull policy",
                hint: "use always, missing, never, build, daily, weekly or every_<duration> (such as every_12h)")
            return .missing
        }
        if policy == .build && !hasBuild {
            report(node, "pull_policy build of \(context) needs build:", hint: "add build: CONTEXT, or use missing")
            return .missing
        }
        return policy
    }
}
