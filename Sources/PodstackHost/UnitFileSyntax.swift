/// One `Key=value` line of a unit file, with the section it stands in (`Service`, `Socket`).
package struct UnitAssignment: Sendable, Hashable {
    package var section: String
    package var key: String
    package var value: String
}

/// The syntax of systemd unit files, as systemd.syntax(7) gives it: the one reader of assignments and the
/// one word splitter, for the unit settings migrate reads and the ports preflight looks for.
package enum UnitFileSyntax {
    /// Every assignment in file order. A line ending in `\` continues on the next (joined with a space);
    /// lines starting with `#` or `;` are comments.
    package static func assignments(in text: String) -> [UnitAssignment] {
        var assignments: [UnitAssignment] = []
        var section = ""
        var pendingLine = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = pendingLine + rawLine.trimmingBlanks()
            pendingLine = ""
            if line.hasSuffix("\\") {
                line.removeLast()
                pendingLine = line + " "
                continue
            }
            guard let first = line.first, first != "#", first != ";" else { continue }
            if first == "[" {
                section = String(line.dropFirst().prefix { $0 != "]" })
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingBlanks()
            let value = line[line.index(after: equals)...].trimmingBlanks()
            assignments.append(UnitAssignment(section: section, key: key, value: value))
        }
        return assignments
    }

    /// Splits a value into words as systemd does for `Environment=` and `Exec*=` (extract_first_word with
    /// EXTRACT_UNQUOTE and EXTRACT_CUNESCAPE): blanks separate words; single or double quotes group,
    /// anywhere in a word, and an empty pair (`""`) is a word of its own, the empty one; a backslash takes
    /// the next character as it is, `\n`, `\t` and `\r` as in C. Guarded by `UnitFileSyntaxTests`.
    package static func words<Text: StringProtocol>(of value: Text) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaping = false
        for character in value {
            if escaping {
                current.append(unescaped(character))
                escaping = false
            } else if character == "\\" {
                escaping = true
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isUnitFileBlank {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if escaping { current.append("\\") }
        if inWord { words.append(current) }
        return words
    }

    private static func unescaped(_ character: Character) -> Character {
        switch character {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        default: return character
        }
    }
}

extension Character {
    /// systemd's WHITESPACE: space, tab, and the line ends a joined continuation may leave.
    var isUnitFileBlank: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\r\n" }
}

extension StringProtocol {
    /// Without the blanks at either end (systemd strips them around keys, values and lines).
    func trimmingBlanks() -> String {
        String(drop(while: \.isUnitFileBlank).reversed().drop(while: \.isUnitFileBlank).reversed())
    }
}
