/// A small YAML tree and block-style writer for the manifests `podstack kube` prints.
///
/// Written here rather than through Yams because the output carries comments (a dependency Kubernetes cannot
/// express, a secret left out), which Yams cannot emit, and because every string is quoted by one rule that
/// the tests pin down: a value that YAML would read as anything but the same string is double-quoted.
public indirect enum YAMLValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([YAMLValue])
    case map([YAMLEntry])

    /// A mapping, leaving out entries whose value is nil, so that optional fields read naturally.
    public static func mapping(_ entries: [YAMLEntry?]) -> YAMLValue { .map(entries.compactMap { $0 }) }
}

/// One key of a mapping, with comment lines written just above it.
public struct YAMLEntry: Sendable, Hashable {
    public var key: String
    public var value: YAMLValue
    public var comments: [String]

    public init(_ key: String, _ value: YAMLValue, comments: [String] = []) {
        self.key = key
        self.value = value
        self.comments = comments
    }

    /// nil when `value` is nil: for optional fields in `YAMLValue.mapping`.
    public static func optional(_ key: String, _ value: YAMLValue?, comments: [String] = []) -> YAMLEntry? {
        value.map { YAMLEntry(key, $0, comments: comments) }
    }
}

/// A document of a multi-document stream: comment lines, then the value.
public struct YAMLDocument: Sendable, Hashable {
    public var comments: [String]
    public var value: YAMLValue?

    public init(comments: [String] = [], value: YAMLValue?) {
        self.comments = comments
        self.value = value
    }

    /// Documents separated by `---`; a document with only comments is kept as comments.
    public static func stream(_ documents: [YAMLDocument]) -> String {
        documents.map { $0.render() }.joined(separator: "---\n")
    }

    public func render() -> String {
        var lines = YAMLWriter.commentLines(comments, indent: 0)
        if let value { lines += YAMLWriter.lines(for: value, indent: 0) }
        return lines.map { $0 + "\n" }.joined()
    }
}

enum YAMLWriter {
    static func commentLines(_ comments: [String], indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        // A comment with a line break would end the comment and start YAML: split it instead.
        return comments.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false) }.map {
            $0.isEmpty ? pad + "#" : pad + "# " + $0
        }
    }

    /// The lines of a value that stands on its own lines (a mapping's or list's contents).
    static func lines(for value: YAMLValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .map(let entries):
            return entries.flatMap { entry in
                commentLines(entry.comments, indent: indent) + entryLines(entry, indent: indent)
            }
        case .list(let items):
            return items.flatMap { itemLines($0, indent: indent) }
        case .string, .int, .bool:
            return [pad + scalar(value)]
        }
    }

    private static func entryLines(_ entry: YAMLEntry, indent: Int) -> [String] {
        let head = String(repeating: " ", count: indent) + quoted(entry.key) + ":"
        switch entry.value {
        case .map(let entries) where entries.isEmpty: return [head + " {}"]
        case .list(let items) where items.isEmpty: return [head + " []"]
        case .map: return [head] + lines(for: entry.value, indent: indent + 2)
        case .list(let items):
            if let flow = flowList(items) { return [head + " " + flow] }
            return [head] + lines(for: entry.value, indent: indent + 2)
        case .string, .int, .bool: return [head + " " + scalar(entry.value)]
        }
    }

    private static func itemLines(_ item: YAMLValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch item {
        case .map(let entries) where !entries.isEmpty:
            // The first key goes on the dash line; its comments go above the dash.
            var first = entries[0]
            let comments = commentLines(first.comments, indent: indent)
            first.comments = []
            var body = lines(for: .map([first] + entries.dropFirst()), indent: indent + 2)
            body[0] = pad + "- " + body[0].dropFirst(indent + 2)
            return comments + body
        case .map: return [pad + "- {}"]
        case .list(let items):
            if let flow = flowList(items) { return [pad + "- " + flow] }
            return [pad + "-"] + lines(for: item, indent: indent + 2)
        case .string, .int, .bool: return [pad + "- " + scalar(item)]
        }
    }

    /// Short lists of scalars (a probe's command) read better on one line: `["ollama", "list"]`.
    private static func flowList(_ items: [YAMLValue]) -> String? {
        var parts: [String] = []
        for item in items {
            switch item {
            // In flow context `,` `[` `]` end a plain scalar, so strings are always quoted here.
            case .string(let text): parts.append(doubleQuoted(text))
            case .int, .bool: parts.append(scalar(item))
            case .list, .map: return nil
            }
        }
        let text = "[" + parts.joined(separator: ", ") + "]"
        return text.count <= 100 ? text : nil
    }

    static func scalar(_ value: YAMLValue) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .list, .map: ""
        }
    }

    /// Words YAML 1.1 or 1.2 reads as booleans or null, which Kubernetes' parsers still honour.
    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "y", "n", "on", "off", "null", "~",
    ]

    /// The text as a plain scalar when YAML reads it back as the same string, else double-quoted.
    static func quoted(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return "\"\"" }
        // A leading digit, `.`, `-` or `+` could read as a number (`5432`, `.5`, `-1`, `1e3`): quote it.
        let plainFirst = isLetter(first) || first == "/" || first == "_"
        let plainRest = text.unicodeScalars.allSatisfy {
            isLetter($0) || ("0"..."9").contains($0) || "-_./@+=:".unicodeScalars.contains($0)
        }
        // `a: b` and a trailing `:` would read as a mapping; `key:value` inside a word is fine.
        let plain = plainFirst && plainRest && last != ":" && !reserved.contains(text.lowercased())
        return plain ? text : doubleQuoted(text)
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    static func doubleQuoted(_ text: String) -> String {
        let escaped = BackslashEscaping.escaped(text) { scalar in
            switch scalar {
            case "\r": return "\\r"
            // Control characters, and the line and paragraph separators YAML treats as breaks.
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value):
                return "\\x" + BackslashEscaping.hex(scalar.value, width: 2, uppercase: true)
            case "\u{2028}", "\u{2029}", "\u{FEFF}":
                return "\\u" + BackslashEscaping.hex(scalar.value, width: 4, uppercase: true)
            default: return nil
            }
        }
        return "\"" + escaped + "\""
    }
}
