import Foundation
import PodstackCompose
import PodstackHost

/// A service of the stack that a system unit may have run before, and where each side keeps its data.
public enum MigratableService: String, Sendable, Codable, CaseIterable {
    case ollama
    case qdrant
    case openWebUI = "open-webui"
    case mindsdb
    case postgres

    /// Unit names that run it, exactly.
    var unitNames: [String] {
        switch self {
        case .ollama: ["ollama.service"]
        case .qdrant: ["qdrant.service"]
        case .openWebUI: ["open-webui.service"]
        case .mindsdb: ["mindsdb.service"]
        case .postgres: ["postgresql.service"]
        }
    }

    /// Prefixes of enabled units that run it too: Debian's `postgresql@16-main.service`, the PGDG
    /// packages' `postgresql-16.service`.
    var unitPrefixes: [String] {
        self == .postgres ? ["postgresql@", "postgresql-"] : []
    }

    /// The variable that moves the data, read both in the unit's environment and in the stack service's.
    var dataVariable: String {
        switch self {
        case .ollama: "OLLAMA_MODELS"
        case .qdrant: "QDRANT__STORAGE__STORAGE_PATH"
        case .openWebUI: "DATA_DIR"
        case .mindsdb: "MINDSDB_STORAGE_DIR"
        case .postgres: "PGDATA"
        }
    }

    /// Where the image keeps the data when the variable is not set.
    var containerPath: String {
        switch self {
        case .ollama: "/root/.ollama/models"
        case .qdrant: "/qdrant/storage"
        case .openWebUI: "/app/backend/data"
        case .mindsdb: "/root/mdb_storage"
        case .postgres: "/var/lib/postgresql/data"
        }
    }

    /// Data that a running service rewrites in place (databases, collections): a copy taken while it runs
    /// may be torn, so it is copied only once the unit is stopped. Ollama's blobs are written once and
    /// named by their digest, so a running ollama can be copied from.
    public var mustBeStoppedToCopy: Bool { self != .ollama }

    /// The stack service that takes this one's place: by image first (the service key may be anything),
    /// then by the key itself (the stand-in images are named differently).
    func stackService(in stack: Stack) -> ServiceDefinition? {
        let keywords: [String] =
            switch self {
            case .ollama: ["ollama/ollama", "standin-ollama"]
            case .qdrant: ["qdrant/qdrant", "standin-qdrant"]
            case .openWebUI: ["open-webui", "standin-open-webui"]
            case .mindsdb: ["mindsdb"]
            case .postgres: ["postgres", "pgvector"]
            }
        let names: Set<String> = self == .postgres ? ["postgres", "postgresql", "aidb-postgres"] : [rawValue]
        return stack.services.first { service in keywords.contains { service.image.lowercased().contains($0) } }
            ?? stack.services.first { names.contains($0.name) }
    }

    /// Candidate data directories (inside the root), best first, each with why it is a candidate, when
    /// the unit does not set the variable.
    func defaultSources(
        unit: SystemUnitSettings, user: String, home: String?, readText: (String) -> String?
    ) -> [(String, String)] {
        let stateDirectories = unit.stateDirectories.map { ("/var/lib/\($0)", "StateDirectory= of \(unit.name)") }
        let working = unit.workingDirectory.map { $0.hasPrefix("-") ? String($0.dropFirst()) : $0 }
        let fallback = "default place for \(rawValue)"
        var candidates: [(String, String)] = []
        switch self {
        case .ollama:
            // The official install script makes a user `ollama` whose home is /usr/share/ollama; without
            // User= the service runs as root.
            if let value = unit.environment["HOME"] {
                candidates.append(("\(value)/.ollama/models", "HOME in \(unit.name)"))
            }
            if let home {
                candidates.append(("\(home)/.ollama/models", "home of user \(user) (\(home)), \(unit.name)"))
            }
            candidates +=
                stateDirectories.map { ("\($0.0)/models", $0.1) } + [("/usr/share/ollama/.ollama/models", fallback)]
        case .qdrant:
            // qdrant's storage_path defaults to ./storage, relative to where it runs, unless its config says.
            let configs = [working.map { "\($0)/config/config.yaml" }, "/etc/qdrant/config.yaml"].compactMap { $0 }
            for config in configs {
                guard let text = readText(config), let path = Self.yamlValue("storage_path", in: text) else { continue }
                candidates.append(
                    (path.hasPrefix("/") ? path : "\(working ?? "/")/\(path)", "storage_path in \(config)"))
            }
            if let working { candidates.append(("\(working)/storage", "WorkingDirectory= of \(unit.name)")) }
            candidates += stateDirectories.map { ("\($0.0)/storage", $0.1) } + [("/var/lib/qdrant/storage", fallback)]
        case .openWebUI:
            candidates = stateDirectories
            if let working { candidates.append(("\(working)/data", "WorkingDirectory= of \(unit.name)")) }
            candidates.append(("/var/lib/open-webui", fallback))
        case .mindsdb:
            candidates = stateDirectories
            if let home { candidates.append(("\(home)/mdb_storage", "home of user \(user) (\(home)), \(unit.name)")) }
            candidates.append(("/var/lib/mindsdb", fallback))
        case .postgres:
            // Debian's postgresql@16-main.service keeps its cluster in /var/lib/postgresql/16/main.
            if let instance = SystemUnitReader.instance(of: unit.name), let dash = instance.firstIndex(of: "-") {
                let path = "/var/lib/postgresql/\(instance[..<dash])/\(instance[instance.index(after: dash)...])"
                candidates.append((path, "Debian's cluster directory for \(unit.name)"))
            }
            candidates += stateDirectories + [("/var/lib/pgsql/data", fallback)]
        }
        var seen = Set<String>()
        return candidates.filter { seen.insert(MigrationPlanner.normalize($0.0)).inserted }
    }

    /// The value of a top-level-or-nested `key: value` line of a small YAML file, enough for qdrant's config.
    static func yamlValue(_ key: String, in text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix(key + ":") else { continue }
            var value = trimmed.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            if let hash = value.range(of: " #") { value = String(value[..<hash.lowerBound]) }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
