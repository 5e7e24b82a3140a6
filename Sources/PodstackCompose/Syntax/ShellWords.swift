/// Splits a command string into words the way compose does (POSIX shell quoting, no expansion):
/// `echo "a b" 'c d' e\ f` is `["echo", "a b", "c d", "e f"]`.
enum ShellWords {
    /// Nil when a quote is left open.
    static func split(_ text: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaping = false
        for character in text {
            if escaping {
                word.append(character)
                escaping = false
                continue
            }
            switch (quote, character) {
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("\"", "\\"), (nil, "\\"):
                escaping = true
                inWord = true
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case (nil, let blank) where blank.isWhitespace:
                if inWord { words.append(word) }
                word = ""
                inWord = false
            default:
                word.append(character)
                inWord = true
            }
        }
        guard quote == nil, !escaping else { return nil }
        if inWord { words.append(word) }
        return words
    }
}
