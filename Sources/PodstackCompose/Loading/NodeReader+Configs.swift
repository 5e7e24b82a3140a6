import Foundation

extension NodeReader {
    /// The largest config podstack reads into memory (a `content:`, a variable, or a `file:` it copies).
    static let maximumConfigBytes = 1 << 20

    /// Top-level `configs:`: each with exactly one of `file`, `content` or `environment`. A config that is
    /// declared but refused (its issue reported) maps to nil, so that its users are not told it is missing.
    mutating func topLevelConfigs(_ node: ComposeNode, home: String?) -> [String: ConfigSource?] {
        guard let entries = mapping(node, "configs") else { return [:] }
        var configs: [String: ConfigSource?] = [:]
        for entry in entries {
            configs[entry.key] = .some(nil)
            let what = "config '\(entry.key)'"
            guard let options = mapping(entry.value, what) else { continue }
            let keys = knownEntries(
                options, allowed: ComposeKeys.topLevelConfig,
                unsupported: [
                    "external": "podstack makes the files it mounts; give file:, content: or environment: instead",
                    "template_driver": "podstack mounts a config as written; give its final text",
                ], context: what)
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
                if !options.contains(where: { $0.key == "external" }) {
                    report(entry.keyNode, "\(what) needs exactly one of file:, content: or environment:")
                }
            }
        }
        return configs
    }

    /// A service's `configs:`, short (`- name`) or long (`source`, `target`, `uid`, `gid`, `mode`). Each is a
    /// read-only bind: a `file:` config as it is, anything else a file `up` writes for this service under
    /// the data directory (also a `file:` config given a mode: the user's file keeps its own).
    mutating func configMounts(_ node: ComposeNode, service: String, context: String, pod: PodContext) -> [ConfigMount]
    {
        let what = "configs of \(context)"
        guard let items = sequence(node, what) else { return [] }
        return items.compactMap { item -> ConfigMount? in
            guard let reference = configReference(item, what: what) else { return nil }
            guard let declared = pod.configs[reference.source] else {
                report(
                    item,
                    "config '\(reference.source.prefix(80))' in \(what) is not declared under the top-level configs:",
                    hint: "declare it with file: PATH, content: TEXT or environment: VARIABLE")
                return nil
            }
            guard let source = declared else { return nil }
            let text: String
            switch source {
            case .file(let path) where reference.mode == nil:
                return ConfigMount(source: reference.source, target: reference.target, hostPath: path)
            case .file(let path):
                guard let data = FileManager.default.contents(atPath: path), data.count <= Self.maximumConfigBytes
                else {
                    report(
                        item,
                        "file '\(path.prefix(120))' of config '\(reference.source)' cannot be read (or is over 1 MiB)")
                    return nil
                }
                text = String(decoding: data, as: UTF8.self)
            case .text(let value):
                text = value
            }
            guard let data = pod.dataDirectory, data.hasPrefix("/") else {
                report(
                    item,
                    "config '\(reference.source)' in \(what) is written under the data directory, and there is none",
                    hint: "set PODSTACK_DATA_DIR (or HOME)")
                return nil
            }
            let hostPath = "\(data)/configs/\(pod.podName)/\(service)/\(reference.source)"
            return ConfigMount(
                source: reference.source, target: reference.target, hostPath: hostPath,
                written: WrittenFile(text: text, mode: reference.mode ?? 0o644))
        }
    }

    private mutating func configReference(
        _ item: ComposeNode, what: String
    ) -> (source: String, target: String, mode: Int?)? {
        guard case .mapping = item.kind else {
            return nonEmptyString(item, "each item of \(what)").map { ($0, "/" + $0, nil) }
        }
        guard let entries = mapping(item, "each item of \(what)") else { return nil }
        let keys = knownEntries(entries, allowed: ComposeKeys.configReference, context: what)
        guard let sourceNode = keys["source"]?.value, let source = nonEmptyString(sourceNode, "source of \(what)")
        else {
            if keys["source"] == nil { report(item, "a config in \(what) needs a source") }
            return nil
        }
        var target = "/" + source
        if let node = keys["target"]?.value, let given = nonEmptyString(node, "target of \(what)") {
            target = given.hasPrefix("/") ? given : "/" + given
        }
        for key in ["uid", "gid"] {
            guard let node = keys[key]?.value, let id = string(node, "\(key) of \(what)"), id.trimmingWhitespace != "0"
            else { continue }
            report(
                node, "\(key) '\(id.prefix(20))' of config '\(source)' in \(what) cannot be given",
                hint: "a config is a bind mount of a file you own, which a rootless container sees as owned by "
                    + "root (0); leave \(key) out: the file is readable by every user (mode 0644, or the mode: you give)"
            )
        }
        let mode = keys["mode"].flatMap { fileMode($0.value, "mode of \(what)") }
        return (source, target, mode)
    }
}
