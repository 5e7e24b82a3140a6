/// A place in a compose file, 1-based, so that every message can point at the line to fix.
public struct SourceLocation: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// One problem found while loading a stack: where, what, and what to do about it.
public struct StackIssue: Sendable, Codable, Hashable, CustomStringConvertible {
    public var location: SourceLocation?
    public var message: String
    public var hint: String?

    public init(location: SourceLocation?, message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// Formatted the way compilers do, so that editors and terminals can jump to the spot:
    /// `compose/aidb.yml:12:7: error: port 70000 is out of range 1-65535 (hint: ...)`.
    public var description: String { formatted(severity: "error") }

    public func formatted(severity: String) -> String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity): \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}

/// Every problem of one load, reported together so that the user fixes them in one pass rather than one
/// per run.
public struct StackLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [StackIssue]

    public init(issues: [StackIssue]) {
        self.issues = issues
    }

    public init(_ issue: StackIssue) {
        self.issues = [issue]
    }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
