import Foundation

extension NodeReader {
    /// The largest config podstack reads into memory (a `content:`, a variable, or a `file:` it copies).
    static let maximumConfigBytes = 1 << 20

    /// Top-level `configs:`: each with exactly one of `file`, `content` or `environment`, or `external: true`
    /// (a Podman secret made beforehand). A config that is declared but refused (its issue reported) maps to
    /// nil, so that its users are not told it is missing.
    mutating func topLevelConfigs(_ node: ComposeNode, home: String?) -> [String: ConfigSource?] {
        guard let entries = mapping(node, "configs") else { return [:] }
        var configs: [String: ConfigSource?] = [:]
        for entry in entries {
            configs[entry.key] = .some(nil)
            let what = "config '\(entry.key)'"
            guard let options = mapping(entry.value, what) else { continue }
            let keys = knownEntries(
                options, allowed: ComposeKeys.topLevelConfig,
                unsupported: ["template_driver": "podstack mounts a config as written; give its final text"],
                context: what)
            if let external = keys["external"], bool(external.value, "external of \(what)") == true {
                configs[entry.key] = .some(existingSecret(entry.key, keys: keys, what: what))
                continue
            }
            if let name = keys["name"] {
                report(
                    name.keyNode, "'name' in \(what) is not supported by podstack",
                    hint: "podstack names a config's file and secret after its key; remove it, or add external: true "
                        + "to mount the Podman secret of that name")
            }
            switch (keys["file"], keys["content"], keys["environment"]) {
            case (let file?, nil, nil):
                guard let written = nonEmptyString(file.value, "file of \(what)") else { continue }
                guard let path = PathResolution.resolve(written, against: file.value.origin.directory, home: home),
                    FileManager.default.isReadableFile(atPath: path)
                else {
                    report(file.value, "file '\(written.prefix(120))' of \(what) cannot be read", hint: "create it")
                    continue
                }
                configs[entry.key] = ConfigSource.file(path: path)
            case (nil, let content?, nil):
                guard let text = string(content.value, "content of \(what)") else { continue }
                configs[entry.key] = ConfigSource.text(text)
            case (nil, nil, let variableEntry?):
                guard let variable = nonEmptyString(variableEntry.value, "environment of \(what)") else { continue }
                guard let value = variableEntry.value.origin.interpolator.variables[variable] else {
                    report(
                        variableEntry.value, "variable \(variable.prefix(60)) of \(what) is not set",
                        hint: "set it in the environment, in .env beside the compose files, or in an --env-file")
                    continue
                }
                configs[entry.key] = ConfigSource.text(value)
            default:
                report(entry.keyNode, "\(what) needs exactly one of file:, content: or environment:")
            }
        }
        return configs
    }

    /// `external: true`: the Podman secret named by `name:` (else the config's key), which the user makes
    /// beforehand (`podman secret create NAME FILE`), as podman-compose mounts an external config. `up`
    /// checks that it exists before it makes anything; `down` never removes it.
    private mutating func existingSecret(_ key: String, keys: [String: MappingEntry], what: String) -> ConfigSource? {
        if let given = ["file", "content", "environment"].first(where: { keys[$0] != nil }), let entry = keys[given] {
            report(
                entry.keyNode, "\(what) is external (made beforehand), so it takes no \(given):",
                hint: "remove \(given):, or remove external: true to have podstack make the file")
            return nil
        }
        guard let given = keys["name"] else { return .existingSecret(name: key) }
        return nonEmptyString(given.value, "name of \(what)").map { .existingSecret(name: $0) }
    }

    /// A service's `configs:`, short (`- name`) or long (`source`, `target`, `uid`, `gid`, `mode`). Each is a
    /// read-only bind: a `file:` config as it is, anything else a file `up` writes for this service under
    /// the data directory (also a `file:` config given a mode: the user's file keeps its own). A config
    /// given a `uid` or `gid` is a Podman secret instead, the one way a rootless container gets a file with
    /// an owner of its choosing: its name carries a digest of the text, so a changed text is a new secret.
    mutating func configs(
        _ node: ComposeNode, service: String, context: String, pod: PodContext
    ) -> (mounts: [ConfigMount], secrets: [SecretReference]) {
        let what = "configs of \(context)"
        guard let items = sequence(node, what) else { return ([], []) }
        var mounts: [ConfigMount] = []
        var secrets: [SecretReference] = []
        for item in items {
            guard let reference = configReference(item, what: what) else { continue }
            guard let declared = pod.configs[reference.source] else {
                report(
                    item,
                    "config '\(reference.source.prefix(80))' in \(what) is not declared under the top-level configs:",
                    hint: "declare it with file: PATH, content: TEXT or environment: VARIABLE")
                continue
            }
            guard let source = declared else { continue }
            if case .existingSecret(let name) = source {
                if let secret = existingSecretReference(name, reference: reference, at: item, pod: pod) {
                    secrets.append(secret)
                }
                continue
            }
            if case .file(let path) = source, reference.mode == nil, reference.uid == nil, reference.gid == nil {
                mounts.append(ConfigMount(source: reference.source, target: reference.target, hostPath: path))
                continue
            }
            guard let text = configText(source, reference: reference, at: item) else { continue }
            if reference.uid != nil || reference.gid != nil {
                secrets.append(ownedConfig(reference, text: text, at: item, pod: pod))
                continue
            }
            guard let data = pod.dataDirectory, data.hasPrefix("/") else {
                report(
                    item,
                    "config '\(reference.source)' in \(what) is written under the data directory, and there is none",
                    hint: "set PODSTACK_DATA_DIR (or HOME)")
                continue
            }
            mounts.append(
                ConfigMount(
                    source: reference.source, target: reference.target,
                    hostPath: "\(data)/configs/\(pod.podName)/\(service)/\(reference.source)",
                    written: WrittenFile(text: text, mode: reference.mode ?? 0o644)))
        }
        return (mounts, secrets)
    }

    /// A config's text: `content:` or the variable's value, or the `file:` read now (at most 1 MiB).
    private mutating func configText(
        _ source: ConfigSource, reference: ConfigReference, at item: ComposeNode
    ) -> String? {
        switch source {
        case .text(let value):
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), data.count <= Self.maximumConfigBytes else {
                report(
                    item, "file '\(path.prefix(120))' of config '\(reference.source)' cannot be read (or is over 1 MiB)"
                )
                return nil
            }
            return String(decoding: data, as: UTF8.self)
        case .existingSecret(let name):
            // Mounted as the secret itself (`existingSecretReference`); its text stays with Podman.
            report(item, "config '\(reference.source)' is the Podman secret '\(name)', whose text podstack does not read")
            return nil
        }
    }

    /// A config with an owner, as a Podman secret `<pod>_config_<name>_<digest of the text>` mounted at its
    /// target with its uid, gid and mode (0644 unless given).
    private mutating func ownedConfig(
        _ reference: ConfigReference, text: String, at item: ComposeNode, pod: PodContext
    ) -> SecretReference {
        if text.isEmpty || text.utf8.count >= Self.maximumSecretBytes {
            report(
                item,
                "config '\(reference.source)' with a uid or gid must hold 1 to \(Self.maximumSecretBytes - 1) bytes",
                hint: "Podman keeps it as a secret, and takes no empty or larger one; leave uid and gid out")
        }
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { digest = (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let name = "\(pod.podName)_config_\(reference.source)_\(String(digest, radix: 16).prefix(12))"
        if !configSecrets.contains(where: { $0.name == name }) {
            configSecrets.append(SecretDefinition(key: name, name: name, source: .text(text)))
        }
        return SecretReference(
            source: name, target: reference.target, uid: reference.uid, gid: reference.gid,
            mode: reference.mode ?? 0o644)
    }

    /// An external config: its Podman secret, mounted at the config's target with its uid, gid and mode
    /// (Podman's 0444 unless given), and declared on the pod as made elsewhere.
    private mutating func existingSecretReference(
        _ name: String, reference: ConfigReference, at item: ComposeNode, pod: PodContext
    ) -> SecretReference? {
        guard pod.secrets[name] == nil else {
            report(
                item, "config '\(reference.source)' is the Podman secret '\(name)', and a top-level secret has that key",
                hint: "give the secret or the config another name")
            return nil
        }
        if !configSecrets.contains(where: { $0.name == name }) {
            configSecrets.append(SecretDefinition(key: name, name: name, source: .external))
        }
        return SecretReference(
            source: name, target: reference.target, uid: reference.uid, gid: reference.gid, mode: reference.mode)
    }

    /// Podman's limit on a secret's size.
    static let maximumSecretBytes = 512_000

    private mutating func configReference(_ item: ComposeNode, what: String) -> ConfigReference? {
        guard case .mapping = item.kind else {
            return nonEmptyString(item, "each item of \(what)").map { ConfigReference(source: $0, target: "/" + $0) }
        }
        guard let entries = mapping(item, "each item of \(what)") else { return nil }
        let keys = knownEntries(entries, allowed: ComposeKeys.configReference, context: what)
        guard let sourceNode = keys["source"]?.value, let source = nonEmptyString(sourceNode, "source of \(what)")
        else {
            if keys["source"] == nil { report(item, "a config in \(what) needs a source") }
            return nil
        }
        var reference = ConfigReference(source: source, target: "/" + source)
        if let node = keys["target"]?.value, let given = nonEmptyString(node, "target of \(what)") {
            reference.target = given.hasPrefix("/") ? given : "/" + given
        }
        reference.uid = keys["uid"].flatMap { numericID($0.value, "uid of \(what)") }
        reference.gid = keys["gid"].flatMap { numericID($0.value, "gid of \(what)") }
        reference.mode = keys["mode"].flatMap { fileMode($0.value, "mode of \(what)") }
        return reference
    }
}

/// One entry of a service's `configs:`.
struct ConfigReference {
    var source: String
    var target: String
    var uid: String?
    var gid: String?
    var mode: Int?
}
