import Foundation

/// The patterns of a context's ignore file, applied as Docker and Podman apply them: patterns in file
/// order, a later one overriding an earlier one; a path is excluded when it or any directory above it is
/// matched by the last pattern that decides (moby patternmatcher's `MatchesOrParentMatches`).
public struct IgnoreRules: Sendable {
    public let patterns: [IgnorePattern]

    public init(patterns: [IgnorePattern]) {
        self.patterns = patterns
    }

    /// No patterns: everything is sent.
    public static let empty = IgnoreRules(patterns: [])

    /// Reads an ignore file's text. `file` names it in errors, which carry the line.
    public init(text: String, file: String) throws(BuildContextError) {
        var patterns: [IgnorePattern] = []
        var lineNumber = 0
        // A UTF-8 byte order mark at the start is not part of the first pattern.
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // "\r\n" is one Character in Swift: both line ends are separators.
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let trimmedLine = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            do {
                if let pattern = try IgnorePattern(line: trimmedLine) { patterns.append(pattern) }
            } catch {
                throw .badIgnorePattern(file: file, line: lineNumber, pattern: trimmedLine, problem: error)
            }
        }
        self.patterns = patterns
    }

    public var hasExceptions: Bool { patterns.contains { $0.isException } }

    /// Whether `path` (relative to the context root, `/`-separated, no leading `./`) is left out.
    public func excludes(_ path: String) -> Bool {
        let path = IgnorePattern.clean(path)
        if path == "." { return false }
        let parents = Self.parentPrefixes(of: path)
        var excluded = false
        for pattern in patterns {
            // An exception only matters for what is excluded so far; an exclusion only for what is not.
            guard pattern.isException == excluded else { continue }
            if pattern.matches(path) || parents.contains(where: pattern.matches) {
                excluded = !pattern.isException
            }
        }
        return excluded
    }

    /// Whether an excluded directory must still be walked, because an exception may bring back something
    /// inside it: as Docker's context walker, when an exception's text starts with the directory's path.
    public func mustDescend(intoExcluded directory: String) -> Bool {
        let prefix = IgnorePattern.clean(directory) + "/"
        return patterns.contains { $0.isException && ($0.text + "/").hasPrefix(prefix) }
    }

    /// `a`, `a/b` for `a/b/c`: the directories above a path, outermost first.
    static func parentPrefixes(of path: String) -> [String] {
        var prefixes: [String] = []
        var current = ""
        let segments = path.split(separator: "/")
        for segment in segments.dropLast() {
            current = current.isEmpty ? String(segment) : current + "/" + segment
            prefixes.append(current)
        }
        return prefixes
    }

    /// These rules with exceptions added for files the build needs whatever the file says (the
    /// Dockerfile and the ignore file itself), as `docker build` does (`TrimBuildFilesFromExcludes`).
    public func keeping(_ paths: [String]) -> IgnoreRules {
        var patterns = self.patterns
        for path in paths where excludes(path) {
            // A path has no glob characters to escape in practice; escape them anyway so it matches itself.
            let escaped = path.map { "*?[]\\".contains($0) ? "\\\($0)" : String($0) }.joined()
            if let pattern = try? IgnorePattern(line: "!" + escaped) { patterns.append(pattern) }
        }
        return IgnoreRules(patterns: patterns)
    }
}
