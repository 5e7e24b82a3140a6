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

extension SystemUnitSettings {
    /// One `[Service]` assignment, later ones winning; an empty value resets the key, as in systemd.
    mutating func apply(key: String, value: String) {
        switch key {
        case "User": user = value.isEmpty ? nil : value
        case "WorkingDirectory": workingDirectory = value.isEmpty ? nil : value
        case "StateDirectory":
            stateDirectories = value.isEmpty ? [] : stateDirectories + UnitFileSyntax.words(of: value)
        case "Environment":
            if value.isEmpty { environment = [:] }
            for word in UnitFileSyntax.words(of: value) {
                guard let equals = word.firstIndex(of: "=") else { continue }
                environment[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
        default:
            // Keys that do not decide where data lives.
            break
        }
    }
}

/// Reads units under a root with the unit directories' rules (so NixOS link farms resolve inside it).
public struct SystemUnitReader: Sendable {
    public let units: UnitDirectories
    public var paths: RootedPath { units.paths }

    public init(root: String) {
        self.units = UnitDirectories(root: root)
    }

    /// The unit's settings, nil when no unit file of that name (or of its template) exists.
    public func settings(ofUnit name: String) -> SystemUnitSettings? {
        guard let file = units.unitFile(named: name, scope: .system) else { return nil }
        let texts = ([file] + units.dropInFiles(ofUnit: name, scope: .system)).compactMap { path in
            readText(path).map { (path: path, text: $0) }
        }
        var settings = SystemUnitSettings(name: name, files: texts.map(\.path))
        var environmentFiles: [String] = []
        let instance = Self.instance(of: name)
        for assignment in texts.flatMap({ UnitFileSyntax.assignments(in: $0.text) })
        where assignment.section == "Service" {
            let value = Self.expandSpecifiers(assignment.value, unit: name, instance: instance)
            if assignment.key == "EnvironmentFile" {
                environmentFiles = value.isEmpty ? [] : environmentFiles + [value]
            } else {
                settings.apply(key: assignment.key, value: value)
            }
        }
        for entry in environmentFiles { readEnvironmentFile(entry, into: &settings) }
        return settings
    }

    /// An `EnvironmentFile=` entry's assignments, which win over `Environment=` as in systemd. A `-` prefix
    /// makes a missing file normal; one that exists and cannot be read is always told.
    private func readEnvironmentFile(_ entry: String, into settings: inout SystemUnitSettings) {
        let optional = entry.hasPrefix("-")
        let path = optional ? String(entry.dropFirst()) : entry
        guard let text = readText(path) else {
            if !optional || paths.resolve(path).map(HostFiles.exists) == true {
                settings.unreadableEnvironmentFiles.append(path)
            }
            return
        }
        for (key, value) in Self.environmentFileAssignments(in: text) { settings.environment[key] = value }
    }

    /// The text of a file inside the root.
    public func readText(_ path: String) -> String? { units.readText(path) }

    /// `KEY=value` lines of an environment file; quotes around a value are removed, `#` lines skipped.
    static func environmentFileAssignments(in text: String) -> [(String, String)] {
        text.split(whereSeparator: \.isNewline).compactMap { rawLine in
            var line = rawLine.trimmingBlanks()
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard !line.hasPrefix("#"), !line.hasPrefix(";"), let equals = line.firstIndex(of: "=") else { return nil }
            let key = line[..<equals].trimmingBlanks()
            var value = line[line.index(after: equals)...].trimmingBlanks()
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            return key.isEmpty ? nil : (key, value)
        }
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
