import Foundation

/// One line of a `.dockerignore` / `.containerignore`, compiled as moby's patternmatcher compiles it:
/// `*` is any run of characters but `/`, `?` one such character, `**` any number of whole path segments
/// (zero included), `[...]` a character class, `\` escapes the next character. A pattern matches a path
/// relative to the context root, always whole (anchored at both ends).
public struct IgnorePattern {
    /// The pattern as cleaned (no `!`, no leading `/`, no trailing `/`, `.` and `..` segments resolved).
    public let text: String
    /// A `!` line: re-includes what earlier lines excluded.
    public let isException: Bool
    private let regex: NSRegularExpression

    public enum Problem: Error, Equatable, Sendable {
        /// A lone `!`.
        case emptyException
        /// The pattern is not a valid glob (an unclosed `[`, say).
        case invalid(String)
    }

    /// `line` as read from the file; nil for blank lines and comments (a `#` at the line's start).
    public init?(line: String) throws(Problem) {
        if line.hasPrefix("#") { return nil }
        var pattern = line.trimmingCharacters(in: .whitespaces)
        guard !pattern.isEmpty else { return nil }
        isException = pattern.hasPrefix("!")
        if isException {
            pattern = String(pattern.dropFirst()).trimmingCharacters(in: .whitespaces)
            guard !pattern.isEmpty else { throw .emptyException }
        }
        text = Self.clean(pattern)
        do {
            regex = try NSRegularExpression(pattern: try Self.regularExpression(for: text))
        } catch {
            throw .invalid(pattern)
        }
    }

    /// Go's `filepath.Clean` for a relative pattern, then a leading `/` dropped: `./a//b/` is `a/b`, and
    /// `/a` means `a` (the context root is the only root there is).
    static func clean(_ pattern: String) -> String {
        var segments: [Substring] = []
        for segment in pattern.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == "..", let last = segments.last, last != ".." {
                segments.removeLast()
                continue
            }
            segments.append(segment)
        }
        let joined = segments.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    /// The glob as an anchored regular expression, character by character as patternmatcher does.
    static func regularExpression(for pattern: String) throws(Problem) -> String {
        var result = "^"
        var characters = pattern[...]
        var inClass = false
        while let character = characters.popFirst() {
            if inClass {
                if character == "]" { inClass = false }
                if character == "\\", let next = characters.popFirst() {
                    result += "\\" + String(next)
                } else if character == "[" {
                    result += "\\["
                } else {
                    result += String(character)
                }
                continue
            }
            switch character {
            case "*":
                if characters.first == "*" {
                    characters.removeFirst()
                    // `**/` is `**`: the slash belongs to it.
                    if characters.first == "/" { characters.removeFirst() }
                    // At the end, `**` is everything (as .gitignore); elsewhere any number of segments.
                    result += characters.isEmpty ? ".*" : "(.*/)?"
                } else {
                    result += "[^/]*"
                }
            case "?": result += "[^/]"
            case "[":
                inClass = true
                result += "["
                // Go's negation is `^`; pass it on, and a leading `]` is a member, not the end.
                if characters.first == "^" { result += String(characters.removeFirst()) }
                if characters.first == "]" {
                    characters.removeFirst()
                    result += "\\]"
                }
            case "\\":
                if let next = characters.popFirst() {
                    result += NSRegularExpression.escapedPattern(for: String(next))
                } else {
                    throw .invalid(pattern)
                }
            default:
                result += NSRegularExpression.escapedPattern(for: String(character))
            }
        }
        if inClass { throw .invalid(pattern) }
        return result + "$"
    }

    /// Whether the pattern matches this path (relative to the context root, `/`-separated, cleaned).
    public func matches(_ path: String) -> Bool {
        let range = NSRange(path.startIndex..<path.endIndex, in: path)
        return regex.firstMatch(in: path, options: [.anchored], range: range) != nil
    }
}

// Safe unchecked: NSRegularExpression is immutable once made, and documented safe to use from any thread.
extension IgnorePattern: @unchecked Sendable {}
