/// Whether a unit belongs to the system manager or to users' own managers.
public enum UnitScope: String, Sendable, Hashable, Codable {
    case system
    /// Enabled in /etc/systemd/user: every user's systemd starts it at login.
    case user
}

/// A unit that systemd will start by itself: a link to it sits in some target's `*.wants` directory.
public struct EnabledUnit: Sendable, Hashable, Codable {
    public var name: String
    public var scope: UnitScope
    /// The unit file as seen inside the root (`/etc/systemd/system/ollama.service`,
    /// `/nix/store/…-unit-ollama.service/ollama.service`), nil when it could not be found.
    public var unitFile: String?
    /// Ports the unit file (and its drop-ins) name; see `UnitFilePorts`.
    public var ports: [Int]
}

/// Reads systemd's unit directories under a root, following links without leaving it.
public struct UnitDirectories: Sendable {
    public let paths: RootedPath

    /// In systemd's order of precedence: a unit in /etc overrides the distribution's in /usr/lib.
    public static let systemDirectories = [
        "/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
        "/lib/systemd/system",
    ]
    public static let userDirectories = ["/etc/systemd/user", "/usr/lib/systemd/user", "/lib/systemd/user"]
    /// Only these hold the links that enable units: the distribution's directories carry static `wants`
    /// too (the ones `systemctl enable` never touches), which are enabled just the same.
    static let systemWantsDirectories = [
        "/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
    ]
    static let userWantsDirectories = ["/etc/systemd/user"]

    public init(root: String) {
        self.paths = RootedPath(root: root)
    }

    /// Every enabled unit, once each, with the ports its file names.
    public func enabledUnits() -> [EnabledUnit] {
        var units: [EnabledUnit] = []
        var seen = Set<String>()
        let scopes: [(UnitScope, [String])] = [
            (.system, Self.systemWantsDirectories), (.user, Self.userWantsDirectories),
        ]
        for (scope, directories) in scopes {
            for directory in directories {
                for name in enabledNames(in: directory) where seen.insert("\(scope):\(name)").inserted {
                    let file = unitFile(named: name, scope: scope)
                    units.append(
                        EnabledUnit(name: name, scope: scope, unitFile: file, ports: ports(ofUnit: name, scope: scope)))
                }
            }
        }
        return units
    }

    /// The names linked from the `*.wants` and `*.requires` directories of one unit directory.
    func enabledNames(in directory: String) -> [String] {
        guard let host = paths.resolve(directory), case .success(let entries) = HostFiles.list(host) else { return [] }
        var names: [String] = []
        for entry in entries.sorted() where entry.hasSuffix(".wants") || entry.hasSuffix(".requires") {
            guard let wantsHost = paths.resolve("\(directory)/\(entry)"),
                case .success(let linked) = HostFiles.list(wantsHost)
            else { continue }
            names.append(contentsOf: linked.sorted().filter { $0.hasSuffix(".service") || $0.hasSuffix(".socket") })
        }
        return names
    }

    /// The unit's file as a path inside the root, found by name in precedence order. A template
    /// instance (`postgresql@15-main.service`) falls back to its template (`postgresql@.service`).
    public func unitFile(named name: String, scope: UnitScope = .system) -> String? {
        let directories = scope == .system ? Self.systemDirectories : Self.userDirectories
        for candidate in [name, Self.templateName(of: name)].compactMap({ $0 }) {
            for directory in directories {
                guard let host = paths.resolve("\(directory)/\(candidate)"), !HostFiles.isDirectory(host),
                    HostFiles.exists(host)
                else { continue }
                return paths.insidePath(ofHostPath: host)
            }
        }
        return nil
    }

    /// The unit's drop-ins (`NAME.d/*.conf`; for an instance, its template's first) as paths inside the root,
    /// in systemd's order: by file name across all directories, where of two with the same name the one in
    /// the directory of higher precedence (/etc over /usr/lib) hides the other.
    public func dropInFiles(ofUnit name: String, scope: UnitScope = .system) -> [String] {
        let directories = scope == .system ? Self.systemDirectories : Self.userDirectories
        var files: [String] = []
        for unitName in [Self.templateName(of: name), name].compactMap({ $0 }) {
            var chosen: [String: String] = [:]
            for directory in directories {
                let folder = "\(directory)/\(unitName).d"
                guard let host = paths.resolve(folder), case .success(let entries) = HostFiles.list(host) else {
                    continue
                }
                for entry in entries where entry.hasSuffix(".conf") && chosen[entry] == nil {
                    chosen[entry] = "\(folder)/\(entry)"
                }
            }
            files += chosen.keys.sorted().compactMap { chosen[$0] }
        }
        return files
    }

    /// Ports named by the unit file and its drop-ins.
    public func ports(ofUnit name: String, scope: UnitScope = .system) -> [Int] {
        let files = [unitFile(named: name, scope: scope)].compactMap { $0 } + dropInFiles(ofUnit: name, scope: scope)
        var seen = Set<Int>()
        return files.compactMap(readText).flatMap(UnitFilePorts.ports(inUnitText:)).filter { seen.insert($0).inserted }
    }

    /// The text of a file inside the root, links followed there.
    public func readText(_ path: String) -> String? {
        paths.resolve(path).flatMap(HostFiles.readText)
    }

    static func templateName(of name: String) -> String? {
        guard let at = name.firstIndex(of: "@"), let dot = name.lastIndex(of: "."), at < dot,
            name.index(after: at) != dot
        else { return nil }
        return String(name[...at]) + String(name[dot...])
    }
}
