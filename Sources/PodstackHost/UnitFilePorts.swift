/// Finds the ports a systemd unit file names. There is no single place a unit says its port, so this
/// reads the places they do in practice:
/// - `Environment=OLLAMA_HOST=0.0.0.0:11434`, `Environment="QDRANT__SERVICE__HTTP_PORT=6333"`;
/// - `ExecStart=/usr/bin/qdrant --port 6333`, `--http-port=6333`, `-p 5432`, `--listen 0.0.0.0:8080`;
/// - socket units' `ListenStream=11434`, `ListenStream=127.0.0.1:11434`, `ListenDatagram=[::]:53`.
/// Ports set in an `EnvironmentFile=` or the program's own config file are not seen.
public enum UnitFilePorts {
    static let portKeys: Set<String> = ["Environment", "ExecStart", "ListenStream", "ListenDatagram"]

    public static func ports(inUnitText text: String) -> [Int] {
        var found: [Int] = []
        for assignment in UnitFileSyntax.assignments(in: text) where portKeys.contains(assignment.key) {
            if assignment.key.hasPrefix("Listen") {
                if let port = trailingPort(in: assignment.value) { found.append(port) }
            } else {
                found.append(contentsOf: ports(inWords: UnitFileSyntax.words(of: assignment.value)))
            }
        }
        var seen = Set<Int>()
        return found.filter { seen.insert($0).inserted }
    }

    /// `11434`, `host:11434`, `[::]:11434`; nil for a socket path.
    static func trailingPort(in value: String) -> Int? {
        let digits = value.reversed().prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty else { return nil }
        let beforeDigits = value.dropLast(digits.count)
        guard beforeDigits.isEmpty || beforeDigits.hasSuffix(":") else { return nil }
        return validPort(String(digits.reversed()))
    }

    static func ports(inWords words: [String]) -> [Int] {
        var found: [Int] = []
        for (index, word) in words.enumerated() {
            let lowered = word.lowercased()
            if lowered.hasPrefix("-") {
                let flag = lowered.split(separator: "=", maxSplits: 1)
                guard flag[0].hasSuffix("port") || flag[0] == "-p" else {
                    if let port = hostPort(in: word) { found.append(port) }
                    continue
                }
                let valueText = flag.count == 2 ? String(flag[1]) : (index + 1 < words.count ? words[index + 1] : "")
                if let port = validPort(valueText) { found.append(port) }
            } else if let equals = word.firstIndex(of: "="), word[..<equals].uppercased().hasSuffix("PORT"),
                let port = validPort(String(word[word.index(after: equals)...]))
            {
                found.append(port)
            } else if let port = hostPort(in: word) {
                found.append(port)
            }
        }
        return found
    }

    /// The port of `0.0.0.0:11434`, `[::]:6333`, `OLLAMA_HOST=127.0.0.1:11434` or `http://host:8080/`.
    static func hostPort(in word: String) -> Int? {
        let withoutPath: Substring
        if let schemeEnd = word.firstIndex(of: ":"), word[schemeEnd...].hasPrefix("://") {
            let rest = word[word.index(schemeEnd, offsetBy: 3)...]
            withoutPath = rest.prefix(while: { $0 != "/" })
        } else {
            withoutPath = Substring(word)
        }
        guard let colon = withoutPath.lastIndex(of: ":"), colon != withoutPath.startIndex else { return nil }
        let digits = withoutPath[withoutPath.index(after: colon)...]
        return validPort(String(digits))
    }

    static func validPort(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy(\.isASCIIDigit), let port = Int(text),
            (1...65535).contains(port)
        else { return nil }
        return port
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
