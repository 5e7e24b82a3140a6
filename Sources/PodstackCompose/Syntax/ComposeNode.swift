/// The file a node was read from, and what its values mean there: relative paths resolve against
/// `directory` and `${VAR}` against `interpolator`. Files merged with `-f` share the project's directory (as
/// compose has it); a file pulled in by `extends: {file:}` or `include:` keeps its own.
final class NodeOrigin: Sendable {
    let file: String
    let directory: String
    let interpolator: Interpolator

    init(file: String, directory: String, interpolator: Interpolator) {
        self.file = file
        self.directory = directory
        self.interpolator = interpolator
    }
}

/// One YAML node of a compose file that knows where it was written. Merging several files builds one tree
/// out of nodes from all of them, so each node carries its own file, and every error still points at the
/// line it came from. Anchors are already copied in and `<<` merge keys already expanded.
struct ComposeNode {
    enum Kind {
        /// `isNull`: written as nothing, `~` or `null`, which compose reads as "no value".
        case scalar(String, isNull: Bool)
        case mapping([MappingEntry])
        case sequence([ComposeNode])
    }

    /// The tags compose gives a meaning when files merge: `!reset` removes what earlier files said,
    /// `!override` replaces it instead of merging.
    enum MergeTag: String {
        case reset = "!reset"
        case override = "!override"
    }

    var kind: Kind
    var origin: NodeOrigin
    var line: Int
    var column: Int
    var mergeTag: MergeTag?

    var location: SourceLocation { SourceLocation(file: origin.file, line: line, column: column) }

    var isNull: Bool {
        if case .scalar(_, let isNull) = kind { return isNull }
        return false
    }

    var entries: [MappingEntry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    var items: [ComposeNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    var text: String? {
        if case .scalar(let text, let isNull) = kind, !isNull { return text }
        return nil
    }

    /// The text after interpolation, for comparing values while files merge: compose merges files that
    /// are already interpolated, so `${PORT-8080}:80` and `8080:80` are the same port.
    var interpolatedText: String? {
        text.map { (try? origin.interpolator.interpolate($0).value) ?? $0 }
    }

    /// The value of `key` in a mapping node.
    subscript(key: String) -> ComposeNode? {
        entries?.first { $0.key == key }?.value
    }

    /// A node of this one's place and file with other contents: what a merge writes.
    func with(_ kind: Kind) -> ComposeNode {
        ComposeNode(kind: kind, origin: origin, line: line, column: column)
    }

    func removing(keys: Set<String>) -> ComposeNode {
        guard let entries else { return self }
        return with(.mapping(entries.filter { !keys.contains($0.key) }))
    }

    var kindDescription: String {
        switch kind {
        case .scalar(_, let isNull): isNull ? "nothing (null)" : "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}

/// A key of a mapping with its value, after `<<` merge keys have been expanded.
struct MappingEntry {
    var key: String
    var keyNode: ComposeNode
    var value: ComposeNode
}
