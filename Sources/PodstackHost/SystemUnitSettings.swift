import Foundation

/// What a system unit says about where its service keeps data: the `[Service]` keys that decide it,
/// read from the unit file and its drop-ins in systemd's order (a later assignment wins; an empty
/// `Environment=` clears the list, as systemd does).
public struct SystemUnitSettings: Sendable, Hashable, Codable {
    public var name: String
    /// The unit file and each drop-in read, as paths inside the root.
    public var files: [String]
    public var user: String?
    public var workingDirectory: String?
    public var stateDirectories: [String]
    /// `Environment=` then `EnvironmentFile=` values, the files' winning as they do in systemd.
    public var environment: [String: String]
    /// Environment files named by the unit that could not be read (a `-` prefix makes a missing one normal).
    public var unreadableEnvironmentFiles: [String]

    public init(
        name: String, files: [String] = [], user: String? = nil, workingDirectory: String? = nil,
        stateDirectories: [String] = [], environment: [String: String] = [:], unreadableEnvironmentFiles: [String] = []
    ) {
        self.name = name
        self.files = files
        self.user = user
        self.workingDirectory = workingDirectory
        self.stateDirectories = stateDirectories
        self.environment = environment
        self.unreadableEnvironmentFiles = unreadableEnvironmentFiles
    }
}

/// Reads units under a root with the preflight's unit directories (so NixOS link farms resolve inside it).
public struct SystemUnitReader: Sendable {
    public let units: UnitDirectories
    public var paths: RootedPath { units.paths }

    public init(root: String) {
        self.units = UnitDirectories(root: root)
    }

    /// The unit's settings, nil when no unit file of that name (or of its template) exists.
    public func settings(ofUnit name: String) -> SystemUnitSettings? {
        guard let file = units.unitFile(named: name, scope: .system) else { return nil }
        var texts: [(String, String)] = []
        if let text = readText(file) { texts.append((file, text)) }
        var dropInNames = [name]
        if let at = name.firstIndex(of: "@"), let dot = name.lastIndex(of: "."), at < dot {
            dropInNames.insert(String(name[...at]) + String(name[dot...]), at: 0)
        }
        // systemd orders drop-ins by file name across all directories; of two with the same name, the one
        // in the directory of higher precedence (/etc over /usr/lib) hides the other.
        for dropInName in dropInNames {
            var chosen: [String: String] = [:]
            for directory in UnitDirectories.systemDirectories {
                let folder = "\(directory)/\(dropInName).d"
                guard let host = paths.resolve(folder),
                    let entries = try? FileManager.default.contentsOfDirectory(atPath: host)
                else { continue }
                for entry in entries where entry.hasSuffix(".conf") && chosen[entry] == nil {
                    chosen[entry] = "\(folder)/\(entry)"
                }
            }
            for entry in chosen.keys.sorted() {
                if let path = chosen[entry], let text = readText(path) { texts.append((path, text)) }
            }
        }
        var settings = SystemUnitSettings(name: name, files: texts.map(\.0))
        var environmentFiles: [String] = []
        let instance = Self.instance(of: name)
        for (_, text) in texts {
            for (key, rawValue) in Self.serviceAssignments(in: text) {
                let value = Self.expandSpecifiers(rawValue, unit: name, instance: instance)
                switch key {
                case "User": settings.user = value.isEmpty ? nil : value
                case "WorkingDirectory": settings.workingDirectory = value.isEmpty ? nil : value
                case "StateDirectory":
                    settings.stateDirectories = value.isEmpty ? [] : settings.stateDirectories + Self.words(of: value)
                case "Environment":
                    if value.isEmpty { settings.environment = [:] }
                    for word in Self.words(of: value) {
                        guard let equals = word.firstIndex(of: "=") else { continue }
                        settings.environment[String(word[..<equals])] = String(word[word.index(after: equals)...])
                    }
                case "EnvironmentFile":
                    environmentFiles = value.isEmpty ? [] : environmentFiles + [value]
                default: continue
                }
            }
        }
        for entry in environmentFiles {
            let optional = entry.hasPrefix("-")
            let path = optional ? String(entry.dropFirst()) : entry
            guard let text = readText(path) else {
                if !optional || paths.resolve(path).map(FileManager.default.fileExists(atPath:)) == true {
                    settings.unreadableEnvironmentFiles.append(path)
                }
                continue
            }
            for (key, value) in Self.environmentFileAssignments(in: text) { settings.environment[key] = value }
        }
        return settings
    }

    /// The text of a file inside the root.
    public func readText(_ path: String) -> String? {
        guard let host = paths.resolve(path), let data = FileManager.default.contents(atPath: host) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// `KEY=value` lines of the `[Service]` section, continuation lines joined.
    static func serviceAssignments(in text: String) -> [(String, String)] {
        var assignments: [(String, String)] = []
        var section = ""
        var pendingLine = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = pendingLine + String(rawLine).trimmingCharacters(in: .whitespaces)
            pendingLine = ""
            if line.hasSuffix("\\") {
                line.removeLast()
                pendingLine = line + " "
                continue
            }
            guard let first = line.first, first != "#", first != ";" else { continue }
            if first == "[" {
                section = line
                continue
            }
            guard section == "[Service]", let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            assignments.append((key, value))
        }
        return assignments
    }

    /// `KEY=value` lines of an environment file; quotes around a value are removed, `#` lines skipped.
    static func environmentFileAssignments(in text: String) -> [(String, String)] {
        text.split(whereSeparator: \.isNewline).compactMap { rawLine in
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard !line.hasPrefix("#"), !line.hasPrefix(";"), let equals = line.firstIndex(of: "=") else { return nil }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            return key.isEmpty ? nil : (key, value)
        }
    }

    /// Space-separated words, double or single quotes grouping, as systemd splits `Environment=`.
    static func words(of value: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in value {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// The specifiers that show up in data paths: `%i` and `%I` (instance), `%n`/`%N` (unit), `%%`.
    static func expandSpecifiers(_ value: String, unit: String, instance: String?) -> String {
        guard value.contains("%") else { return value }
        let prefix = unit.split(separator: ".").first.map(String.init) ?? unit
        var result = ""
        var iterator = value.makeIterator()
        while let character = iterator.next() {
            guard character == "%", let specifier = iterator.next() else {
                result.append(character)
                continue
            }
            switch specifier {
            case "i", "I": result += instance ?? ""
            case "n": result += unit
            case "N", "p", "P":
                result += specifier == "N" ? prefix : (prefix.split(separator: "@").first.map(String.init) ?? prefix)
            case "%": result += "%"
            default: result += "%\(specifier)"
            }
        }
        return result
    }

    package static func instance(of name: String) -> String? {
        guard let at = name.firstIndex(of: "@"), let dot = name.lastIndex(of: "."), at < dot else { return nil }
        let instance = name[name.index(after: at)..<dot]
        return instance.isEmpty ? nil : String(instance)
    }
}
