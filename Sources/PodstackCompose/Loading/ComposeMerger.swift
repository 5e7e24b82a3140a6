/// Merges compose files as the compose spec's merge rules say: mappings merge key by key; lists append;
/// `command`, `entrypoint` and `healthcheck.test` are replaced; `ports`, `volumes`, `secrets`, `configs`
/// and `devices` keep one entry per target (a later one replaces an earlier one in place); `environment`,
/// `labels` and the like merge by their key in either form; `!reset` removes what came before and
/// `!override` replaces it. Every node keeps the file and line it came from.
enum ComposeMerger {
    /// The result of merging `overrides` onto `base`, in order. Tags stay on the nodes that no later file
    /// merged with, so that `extends` still honours them; `resolvingTags` ends their use.
    static func merge(_ base: ComposeNode, _ overrides: [ComposeNode]) -> ComposeNode {
        overrides.reduce(base) { merged, next in merge(merged, next, path: []) ?? merged }
    }

    /// One service merged onto another (`extends`): the same rules at the service's level.
    static func mergeService(_ base: ComposeNode, _ override: ComposeNode) -> ComposeNode {
        merge(resolvingTags(base), override, path: ["services", "*"]) ?? override
    }

    /// A node read on its own: entries tagged `!reset` are left out and the tags dropped.
    static func resolvingTags(_ node: ComposeNode) -> ComposeNode {
        var resolved = node
        resolved.mergeTag = nil
        switch node.kind {
        case .scalar: return resolved
        case .sequence(let items): return resolved.with(.sequence(items.map(resolvingTags)))
        case .mapping(let entries):
            return resolved.with(
                .mapping(
                    entries.filter { $0.value.mergeTag != .reset }.map { entry in
                        MappingEntry(key: entry.key, keyNode: entry.keyNode, value: resolvingTags(entry.value))
                    }))
        }
    }

    /// Nil when `override` removes the value (`!reset`).
    private static func merge(_ base: ComposeNode, _ override: ComposeNode, path: [String]) -> ComposeNode? {
        switch override.mergeTag {
        case .reset: return nil
        case .override: return resolvingTags(override)
        case nil: break
        }
        switch MergeRule(path: path) {
        case .replace: return resolvingTags(override)
        case .keyed(let separators): return mergeKeyed(base, override, separators: separators, path: path)
        case .uniqueByTarget(let kind): return mergeUnique(base, override, kind: kind)
        case .appendingList: return mergeList(base, override, path: path)
        case .logging:
            if let before = base["driver"]?.text, let after = override["driver"]?.text, before != after {
                return resolvingTags(override)
            }
            return mergeGeneric(base, override, path: path)
        case .generic: return mergeGeneric(base, override, path: path)
        }
    }

    private static func mergeGeneric(_ base: ComposeNode, _ override: ComposeNode, path: [String]) -> ComposeNode {
        switch (base.kind, override.kind) {
        case (.mapping(let before), .mapping(let after)):
            return base.with(.mapping(mergeEntries(before, after, path: path)))
        case (.sequence, .sequence):
            return mergeList(base, override, path: path)
        default:
            return resolvingTags(override)
        }
    }

    /// Keys of `after` merge into `before` in place; new keys come at the end; `!reset` removes one.
    static func mergeEntries(_ before: [MappingEntry], _ after: [MappingEntry], path: [String]) -> [MappingEntry] {
        var merged = before
        for entry in after {
            let childPath = path + [path.count == 1 || path.count == 3 && path[2] == "ulimits" ? "*" : entry.key]
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                if let value = merge(merged[index].value, entry.value, path: childPath) {
                    merged[index].value = value
                } else {
                    merged.remove(at: index)
                }
            } else if entry.value.mergeTag != .reset {
                merged.append(entry)
            }
        }
        return merged
    }

    /// Plain lists append; an item equal to an earlier one is not repeated (`cap_add`, `dns`, `profiles`).
    private static func mergeList(_ base: ComposeNode, _ override: ComposeNode, path: [String]) -> ComposeNode {
        let before = base.items ?? [base]
        let after = (override.items ?? [override]).map(resolvingTags)
        var seen = Set(before.compactMap(\.interpolatedText))
        let added = after.filter { item in item.interpolatedText.map { seen.insert($0).inserted } ?? true }
        return base.with(.sequence(before + added))
    }
}
