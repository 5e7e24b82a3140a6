extension NodeReader {
    /// The keys of how the process runs (`ProcessSettings`), and `platform`, which is checked only: podstack
    /// runs the host's platform, so any other is refused.
    mutating func readProcess(_ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String) {
        var process = ProcessSettings()
        func flag(_ key: String) -> Bool {
            keys[key].flatMap { bool($0.value, "\(key) of \(context)") } ?? false
        }
        process.tty = flag("tty")
        process.stdinOpen = flag("stdin_open")
        process.initProcess = flag("init")
        process.privileged = flag("privileged")
        process.readOnly = flag("read_only")
        if let node = keys["tmpfs"]?.value { process.tmpfs = tmpfsMounts(node, "tmpfs of \(context)") }
        if let node = keys["cap_add"]?.value { process.capAdd = capabilities(node, "cap_add of \(context)") }
        if let node = keys["cap_drop"]?.value { process.capDrop = capabilities(node, "cap_drop of \(context)") }
        if let node = keys["security_opt"]?.value { securityOptions(node, into: &process, context: context) }
        if let node = keys["ulimits"]?.value { process.ulimits = ulimits(node, "ulimits of \(context)") }
        if let node = keys["group_add"]?.value {
            process.groupAdd = words(node, "group_add of \(context)", splitting: false) ?? []
        }
        if let node = keys["shm_size"]?.value {
            process.shmSizeBytes = byteSize(node, "shm_size of \(context)")
            addressingLocations[AddressingKey(service: service.name, key: "shm_size")] = location(node)
        }
        if let node = keys["sysctls"]?.value {
            for item in keyValues(node, "sysctls of \(context)") ?? [] {
                guard let value = item.value, !value.isEmpty else {
                    report(item.node, "sysctl '\(item.key.prefix(60))' of \(context) has no value")
                    continue
                }
                process.sysctls[item.key] = value
            }
        }
        if let node = keys["platform"]?.value, let platform = nonEmptyString(node, "platform of \(context)"),
            !Self.hostPlatforms.contains(platform.lowercased())
        {
            report(
                node, "platform '\(platform.prefix(40))' of \(context) is not this host's (\(Self.hostPlatforms[0]))",
                hint: "podstack runs images for the host's platform; remove platform or set it to \(Self.hostPlatforms[0])")
        }
        service.process = process
    }

    /// The pod has one /dev/shm: two services may not ask for two sizes.
    mutating func checkSharedMemory(_ services: [ServiceDefinition]) {
        guard let first = services.first(where: { $0.process.shmSizeBytes != nil }) else { return }
        for service in services {
            guard let size = service.process.shmSizeBytes, size != first.process.shmSizeBytes else { continue }
            report(
                at: addressingLocations[AddressingKey(service: service.name, key: "shm_size")] ?? service.location,
                "shm_size of service '\(service.name)' differs from that of service '\(first.name)'; the services "
                    + "of a pod share one /dev/shm",
                hint: "give them the same shm_size, or leave it out of all but one")
        }
    }

    #if arch(arm64)
        static let hostPlatforms = ["linux/arm64", "linux/arm64/v8", "linux/aarch64"]
    #else
        static let hostPlatforms = ["linux/amd64", "linux/x86_64"]
    #endif

    /// A byte value: a whole number, or a number with a unit (`64m`).
    mutating func byteSize(_ node: ComposeNode, _ what: String) -> Int64? {
        guard let text = nonEmptyString(node, what) else { return nil }
        guard let bytes = ByteSize.bytes(text) else {
            report(node, "\(what) '\(text.prefix(40))' is not a size", hint: "write it like 64m, 1g or 1048576")
            return nil
        }
        return bytes
    }

    private mutating func tmpfsMounts(_ node: ComposeNode, _ what: String) -> [TmpfsMount] {
        listOrOne(node, what).compactMap { text in
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts[0].hasPrefix("/") else {
                report(node, "\(what) '\(text.prefix(60))' must start with an absolute path inside the container")
                return nil
            }
            let options = parts.count == 2 ? parts[1].split(separator: ",").map(String.init) : []
            return TmpfsMount(target: parts[0], options: options)
        }
    }

    private mutating func capabilities(_ node: ComposeNode, _ what: String) -> [String] {
        (words(node, what, splitting: false) ?? []).compactMap { written in
            let name = written.uppercased()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }) else {
                report(node, "'\(written.prefix(40))' in \(what) is not a capability", hint: "write it like NET_ADMIN")
                return nil
            }
            return name == "ALL" || name.hasPrefix("CAP_") ? name : "CAP_" + name
        }
    }

    /// The options of `security_opt` a rootless pod can honour; others are refused by name.
    private mutating func securityOptions(_ node: ComposeNode, into process: inout ProcessSettings, context: String) {
        let what = "security_opt of \(context)"
        for option in words(node, what, splitting: false) ?? [] {
            let normalized = option.replacingFirstColonWithEquals
            switch normalized {
            case "no-new-privileges", "no-new-privileges=true": process.noNewPrivileges = true
            case "no-new-privileges=false": continue
            case "seccomp=unconfined": process.seccompUnconfined = true
            case let label where label.hasPrefix("label="):
                process.selinuxOptions.append(String(label.dropFirst("label=".count)))
            case let profile where profile.hasPrefix("seccomp="):
                process.seccompProfile = seccompProfile(String(profile.dropFirst("seccomp=".count)), node, context)
            case let profile where profile.hasPrefix("apparmor="):
                process.apparmorProfile = apparmorProfile(String(profile.dropFirst("apparmor=".count)), node, context)
            default:
                report(
                    node, "security_opt '\(option.prefix(60))' of \(context) is not supported by podstack",
                    hint: "podstack takes label=..., no-new-privileges, seccomp=unconfined or a profile file, "
                        + "and apparmor=PROFILE")
            }
        }
    }

    private mutating func ulimits(_ node: ComposeNode, _ what: String) -> [Ulimit] {
        (mapping(node, what) ?? []).compactMap { entry in
            let inner = "'\(entry.key)' of \(what)"
            guard entry.key.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                report(entry.keyNode, "\(inner) is not a limit name", hint: "write it like nofile or nproc")
                return nil
            }
            let range = -1...Int.max
            if case .scalar = entry.value.kind {
                guard let value = int(entry.value, inner, range: range) else { return nil }
                return Ulimit(name: entry.key, soft: Int64(value), hard: Int64(value))
            }
            guard let options = mapping(entry.value, inner) else { return nil }
            let keys = knownEntries(options, allowed: ["soft", "hard"], context: inner)
            guard let softNode = keys["soft"]?.value, let hardNode = keys["hard"]?.value else {
                report(entry.keyNode, "\(inner) needs soft: and hard:")
                return nil
            }
            guard let soft = int(softNode, "soft of \(inner)", range: range),
                let hard = int(hardNode, "hard of \(inner)", range: range)
            else { return nil }
            return Ulimit(name: entry.key, soft: Int64(soft), hard: Int64(hard))
        }
    }
}

extension String {
    /// `label:disable` is the old spelling of `label=disable`.
    fileprivate var replacingFirstColonWithEquals: String {
        guard let colon = firstIndex(of: ":") else { return self }
        if let equals = firstIndex(of: "="), equals < colon { return self }
        return replacingCharacters(in: colon...colon, with: "=")
    }
}
