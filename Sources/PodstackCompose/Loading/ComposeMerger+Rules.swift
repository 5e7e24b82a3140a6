/// Which of compose's merge rules applies where, by the path of the key (`services.*.ports`).
enum MergeRule: Equatable {
    case generic
    case replace
    /// `KEY=value` lists or `KEY: value` mappings, merged by KEY; the characters that end a key in the list form.
    case keyed(separators: [Character])
    case uniqueByTarget(UniqueKind)
    case appendingList
    /// Options merge only while the driver stays the same.
    case logging

    enum UniqueKind: Equatable {
        case port, volume, secret, config, device
    }

    init(path: [String]) {
        guard path.count >= 3, path[0] == "services" else {
            self =
                path.count == 3 && ["volumes", "networks"].contains(path[0]) && path[2] == "labels"
                ? .keyed(separators: ["="]) : .generic
            return
        }
        let key = path[2]
        switch path.count {
        case 3: self = Self.serviceKeyRules[key] ?? .generic
        case 4 where key == "healthcheck" && path[3] == "test": self = .replace
        case 4 where key == "ulimits": self = .replace
        case 4 where key == "deploy" && path[3] == "labels": self = .keyed(separators: ["="])
        case 4 where key == "build" && ["args", "labels"].contains(path[3]): self = .keyed(separators: ["="])
        default: self = .generic
        }
    }

    private static let serviceKeyRules: [String: MergeRule] = [
        "command": .replace, "entrypoint": .replace,
        "environment": .keyed(separators: ["="]), "labels": .keyed(separators: ["="]),
        "annotations": .keyed(separators: ["="]), "sysctls": .keyed(separators: ["="]),
        "extra_hosts": .keyed(separators: ["=", ":"]), "depends_on": .keyed(separators: []),
        "ports": .uniqueByTarget(.port), "volumes": .uniqueByTarget(.volume),
        "secrets": .uniqueByTarget(.secret), "configs": .uniqueByTarget(.config),
        "devices": .uniqueByTarget(.device), "env_file": .appendingList, "logging": .logging,
    ]
}

extension ComposeMerger {
    /// Both forms read into entries, merged by key; the result is written as a mapping. A side that holds
    /// something neither form allows is taken as it is, so that the reader reports it where it was written.
    static func mergeKeyed(
        _ base: ComposeNode, _ override: ComposeNode, separators: [Character], path: [String]
    ) -> ComposeNode {
        guard let before = keyedEntries(base, separators: separators),
            let after = keyedEntries(override, separators: separators)
        else { return resolvingTags(override) }
        return base.with(.mapping(mergeEntries(before, after, path: path)))
    }

    private static func keyedEntries(_ node: ComposeNode, separators: [Character]) -> [MappingEntry]? {
        switch node.kind {
        case .mapping(let entries): return entries
        case .scalar: return nil
        case .sequence(let items):
            var entries: [MappingEntry] = []
            for item in items {
                guard let text = item.text else { return nil }
                let split = separators.compactMap { text.firstIndex(of: $0) }.min()
                let key = split.map { String(text[..<$0]) } ?? text
                let value = split.map { item.with(.scalar(String(text[text.index(after: $0)...]), isNull: false)) }
                entries.append(
                    MappingEntry(
                        key: key, keyNode: item.with(.scalar(key, isNull: false)),
                        value: value ?? item.with(.scalar("", isNull: true))))
            }
            return entries
        }
    }

    /// Lists whose items are unique by where they land: a later item for the same target replaces the
    /// earlier one where it stood.
    static func mergeUnique(_ base: ComposeNode, _ override: ComposeNode, kind: MergeRule.UniqueKind) -> ComposeNode {
        guard let before = base.items, let after = override.items else { return resolvingTags(override) }
        var merged = before
        for item in after.map(resolvingTags) {
            let key = uniqueKey(item, kind: kind)
            if let key, let index = merged.firstIndex(where: { uniqueKey($0, kind: kind) == key }) {
                merged[index] = item
            } else {
                merged.append(item)
            }
        }
        return base.with(.sequence(merged))
    }

    static func uniqueKey(_ item: ComposeNode, kind: MergeRule.UniqueKind) -> String? {
        switch kind {
        case .port:
            if let text = item.interpolatedText { return shortPortKey(text) }
            let parts = ["host_ip", "published", "target"].map { item[$0]?.interpolatedText ?? "" }
            return parts.joined(separator: ":") + "/" + (item["protocol"]?.interpolatedText ?? "tcp")
        case .volume:
            if let text = item.interpolatedText {
                let parts = text.split(separator: ":", omittingEmptySubsequences: false)
                return String(parts.count > 1 ? parts[1] : parts[0])
            }
            return item["target"]?.interpolatedText
        case .secret, .config:
            let directory = kind == .secret ? "/run/secrets/" : "/"
            let source = item.interpolatedText ?? item["source"]?.interpolatedText ?? ""
            let target = item["target"]?.interpolatedText ?? source
            return target.hasPrefix("/") ? target : directory + target
        case .device:
            return item.interpolatedText ?? item["target"]?.interpolatedText
        }
    }

    /// `[IP:][PUBLISHED:]TARGET[/PROTOCOL]` in the shape of the long syntax's key, so both forms compare.
    private static func shortPortKey(_ text: String) -> String {
        let slash = text.lastIndex(of: "/")
        let protocolName = slash.map { String(text[text.index(after: $0)...]) } ?? "tcp"
        let parts = (slash.map { String(text[..<$0]) } ?? text).split(separator: ":", omittingEmptySubsequences: false)
        let target = parts.last.map(String.init) ?? ""
        let published = parts.count >= 2 ? String(parts[parts.count - 2]) : ""
        let address = parts.count >= 3 ? parts.dropLast(2).joined(separator: ":") : ""
        return "\(address):\(published):\(target)/\(protocolName)"
    }
}
