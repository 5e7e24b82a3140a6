/// The `.env` format that compose reads: `KEY=VALUE` lines, `export ` allowed in front, `#` comments, and
/// values in single quotes (taken literally) or double quotes (with `\n`, `\t`, `\"`, `\\` escapes, and
/// free to span lines). An unquoted value ends at a `#` that follows whitespace.
///
/// The parser does not interpolate: a `$` is kept as written, and `Entry.literal` says whether compose
/// would take the value as it stands (single quotes) when a caller interpolates the rest (a service's
/// `env_file:`). `raw` reads compose's `format: raw`, where everything after the first `=` is the value.
public enum EnvFile {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: String
        public var line: Int
        /// Single-quoted: compose takes it literally, with no interpolation.
        public var literal: Bool = false
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Entries in file order; a key given twice keeps both entries, and `variables` keeps the last.
    public static func parse(_ text: String) throws(Failure) -> [Entry] {
        var scanner = Scanner(characters: Array(text))
        var entries: [Entry] = []
        while let entry = try scanner.nextEntry() { entries.append(entry) }
        return entries
    }

    public static func variables(_ text: String) throws(Failure) -> [String: String] {
        var variables: [String: String] = [:]
        for entry in try parse(text) { variables[entry.key] = entry.value }
        return variables
    }

    /// `format: raw`: one `KEY=VALUE` per line, the value exactly as written (no quotes, escapes, comments
    /// after it or interpolation); blank lines and lines starting with `#` are skipped.
    public static func raw(_ text: String) throws(Failure) -> [Entry] {
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.allSatisfy(\.isWhitespace) { continue }
            let content = trimmed.hasSuffix("\r") ? trimmed.dropLast() : trimmed
            guard let equals = content.firstIndex(of: "="), content.startIndex != equals else {
                throw Failure(line: index + 1, message: "expected KEY=VALUE, found '\(content.prefix(60))'")
            }
            let key = String(content[..<equals]).trimmingWhitespace
            entries.append(Entry(key: key, value: String(content[content.index(after: equals)...]), line: index + 1))
        }
        return entries
    }

    private struct Scanner {
        let characters: [Character]
        var index = 0
        var line = 1

        init(characters: [Character]) {
            self.characters = characters
        }

        var current: Character? { index < characters.count ? characters[index] : nil }

        mutating func advance() {
            if current?.isNewline == true { line += 1 }
            index += 1
        }

        mutating func skip(while predicate: (Character) -> Bool) {
            while let character = current, predicate(character) { advance() }
        }

        mutating func skipRestOfLine() {
            skip { !$0.isNewline }
        }

        mutating func nextEntry() throws(Failure) -> Entry? {
            while true {
                skip { $0.isWhitespace }
                guard let character = current else { return nil }
                if character == "#" {
                    skipRestOfLine()
                    continue
                }
                break
            }
            let startLine = line
            var key = readKey()
            if key == "export", current == " " || current == "\t" {
                skip { $0 == " " || $0 == "\t" }
                key = readKey()
            }
            guard !key.isEmpty else {
                throw Failure(line: startLine, message: "expected KEY=VALUE, found '\(lineText(startLine))'")
            }
            skip { $0 == " " || $0 == "\t" }
            guard current == "=" else {
                throw Failure(line: startLine, message: "expected '=' after \(key)")
            }
            advance()
            skip { $0 == " " || $0 == "\t" }
            let value: String
            let literal = current == "'"
            switch current {
            case "'": value = try readQuoted(closing: "'", escapes: false, key: key)
            case "\"": value = try readQuoted(closing: "\"", escapes: true, key: key)
            default: value = readUnquoted()
            }
            return Entry(key: key, value: value, line: startLine, literal: literal)
        }

        mutating func readKey() -> String {
            var key = ""
            while let character = current, character.isASCII,
                character.isLetter || character.isNumber || "_.-".contains(character)
            {
                key.append(character)
                advance()
            }
            return key
        }

        mutating func readQuoted(closing: Character, escapes: Bool, key: String) throws(Failure) -> String {
            let startLine = line
            advance()
            var value = ""
            while let character = current {
                advance()
                if character == closing {
                    skip { $0 == " " || $0 == "\t" }
                    if let next = current, !next.isNewline, next != "#" {
                        throw Failure(line: line, message: "unexpected text after the closing quote of \(key)")
                    }
                    skipRestOfLine()
                    return value
                }
                if escapes, character == "\\", let escaped = current {
                    advance()
                    switch escaped {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    case "r": value.append("\r")
                    default: value.append(escaped)
                    }
                } else {
                    value.append(character)
                }
            }
            throw Failure(line: startLine, message: "the value of \(key) has no closing \(closing)")
        }

        mutating func readUnquoted() -> String {
            var value = ""
            var previousWasSpace = false
            while let character = current, !character.isNewline {
                if character == "#" && previousWasSpace { break }
                previousWasSpace = character == " " || character == "\t"
                value.append(character)
                advance()
            }
            skipRestOfLine()
            while let last = value.last, last == " " || last == "\t" { value.removeLast() }
            return value
        }

        func lineText(_ number: Int) -> String {
            let text = String(characters).split(separator: "\n", omittingEmptySubsequences: false)
            guard number - 1 < text.count else { return "" }
            return String(text[number - 1].prefix(60))
        }
    }
}
