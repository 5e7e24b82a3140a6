import Yams

/// Turns a Yams node tree into `ComposeNode`s of one file: aliases are already copies in Yams' tree, `<<`
/// merge keys are expanded here (keys written out win over merged ones; among merged mappings the first
/// to give a key wins), and the tags `!reset` and `!override` are kept for the merge.
struct ComposeNodeBuilder {
    /// Each alias is a copy, so a small file can name an anchor that names an anchor ... and stand for
    /// billions of nodes. No real compose file comes near this many.
    static let maximumNodes = 200_000
    /// Nesting deeper than this is no compose file, and recursion must end somewhere.
    static let maximumDepth = 64
    /// Merges nest at most this deep.
    static let maximumMergeDepth = 8

    let origin: NodeOrigin
    private(set) var issues: [StackIssue] = []
    private var budget = maximumNodes

    init(origin: NodeOrigin) {
        self.origin = origin
    }

    mutating func build(_ node: Node) -> ComposeNode? {
        build(node, depth: 0)
    }

    /// Each alias is built as a copy, so a fault under an anchor is met once per use; it is reported once.
    private mutating func report(_ node: Node, _ message: String, hint: String? = nil) {
        let location = located(node).location
        guard !issues.contains(where: { $0.location == location && $0.message == message }) else { return }
        issues.append(StackIssue(location: location, message: message, hint: hint))
    }

    private func located(_ node: Node) -> ComposeNode {
        ComposeNode(
            kind: .scalar("", isNull: true), origin: origin, line: node.mark?.line ?? 1,
            column: node.mark?.column ?? 1)
    }

    private mutating func build(_ node: Node, depth: Int) -> ComposeNode? {
        guard budget > 0 else { return nil }
        budget -= 1
        if budget == 0 {
            report(
                node, "the file stands for more than \(Self.maximumNodes) values once its aliases are copied in",
                hint: "an anchor probably names itself through other anchors; a compose file needs far fewer")
            return nil
        }
        guard depth < Self.maximumDepth else {
            report(node, "values nest deeper than \(Self.maximumDepth) levels here")
            return nil
        }
        var result = located(node)
        result.mergeTag = mergeTag(of: node)
        switch node {
        case .scalar(let scalar):
            result.kind = .scalar(scalar.string, isNull: isNull(node))
        case .sequence(let list):
            result.kind = .sequence(list.compactMap { build($0, depth: depth + 1) })
        case .mapping:
            result.kind = .mapping(entries(of: node, depth: depth, mergeDepth: 0))
        case .alias:
            report(node, "an alias could not be resolved")
            return nil
        }
        return result
    }

    private func isNull(_ node: Node) -> Bool {
        node.tag.rawValue == Tag.Name.null.rawValue
    }

    private mutating func mergeTag(of node: Node) -> ComposeNode.MergeTag? {
        let tag = node.tag.rawValue
        guard tag.hasPrefix("!") else { return nil }
        if let known = ComposeNode.MergeTag(rawValue: tag) { return known }
        report(
            node, "YAML tag '\(tag.prefix(40))' means nothing to compose", hint: "compose knows !reset and !override")
        return nil
    }

    private mutating func entries(of node: Node, depth: Int, mergeDepth: Int) -> [MappingEntry] {
        guard case .mapping(let mapping) = node else { return [] }
        var explicit: [MappingEntry] = []
        var merged: [MappingEntry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode, !isNull(keyNode) else {
                report(keyNode, "keys must be plain names, not \(kind(of: keyNode))")
                continue
            }
            if keyScalar.string == "<<", keyNode.tag.rawValue == Tag.Name.merge.rawValue || keyScalar.style == .plain {
                merged += mergedEntries(value, depth: depth, mergeDepth: mergeDepth)
                continue
            }
            guard let key = build(keyNode, depth: depth + 1), let value = build(value, depth: depth + 1) else {
                continue
            }
            explicit.append(MappingEntry(key: keyScalar.string, keyNode: key, value: value))
        }
        let explicitKeys = Set(explicit.map(\.key))
        var seen = Set<String>()
        let inherited = merged.filter { !explicitKeys.contains($0.key) && seen.insert($0.key).inserted }
        return explicit + inherited
    }

    private mutating func mergedEntries(_ value: Node, depth: Int, mergeDepth: Int) -> [MappingEntry] {
        let sources: [Node] = if case .sequence(let list) = value { Array(list) } else { [value] }
        var merged: [MappingEntry] = []
        for source in sources {
            guard case .mapping = source else {
                report(source, "a '<<' merge needs a mapping or a list of mappings, not \(kind(of: source))")
                continue
            }
            guard mergeDepth < Self.maximumMergeDepth else {
                report(source, "'<<' merges nest deeper than \(Self.maximumMergeDepth) levels")
                continue
            }
            merged += entries(of: source, depth: depth, mergeDepth: mergeDepth + 1)
        }
        return merged
    }

    private func kind(of node: Node) -> String {
        switch node {
        case .scalar: isNull(node) ? "nothing (null)" : "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
