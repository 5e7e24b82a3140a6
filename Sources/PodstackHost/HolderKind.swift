/// What kind of thing holds a port, as its cgroup path tells it. systemd puts every unit's processes in
/// a cgroup named after the unit, and Podman puts each container's processes in one named after the
/// container, so the path answers "who" better than the process name does.
public enum HolderKind: Sendable, Hashable {
    /// A system unit (`system.slice/ollama.service`), stopped with `sudo systemctl`.
    case systemUnit(String)
    /// A unit of a user's own systemd (`user@1000.service/app.slice/foo.service`).
    case userUnit(uid: Int, name: String)
    /// A Podman container (`libpod-<id>.scope`, `libpod-conmon-<id>.scope`, or cgroupfs `libpod-<id>`),
    /// or the container named by Podman's list of published ports.
    case podmanContainer(String)
    /// A process that no unit or container manages: a shell's child, a login session.
    case process
    /// The cgroup could not be read.
    case unknown
}

extension HolderKind: Codable {
    private enum CodingKeys: String, CodingKey { case type, name, uid }
    private enum KindName: String, Codable { case systemUnit, userUnit, podmanContainer, process, unknown }

    /// Encoded flat (`{"type": "systemUnit", "name": "ollama.service"}`) so that `--json` readers need no
    /// knowledge of Swift's enum encoding.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .systemUnit(let name):
            try container.encode(KindName.systemUnit, forKey: .type)
            try container.encode(name, forKey: .name)
        case .userUnit(let uid, let name):
            try container.encode(KindName.userUnit, forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(uid, forKey: .uid)
        case .podmanContainer(let id):
            try container.encode(KindName.podmanContainer, forKey: .type)
            try container.encode(id, forKey: .name)
        case .process: try container.encode(KindName.process, forKey: .type)
        case .unknown: try container.encode(KindName.unknown, forKey: .type)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(KindName.self, forKey: .type) {
        case .systemUnit: self = .systemUnit(try container.decode(String.self, forKey: .name))
        case .userUnit:
            self = .userUnit(
                uid: try container.decode(Int.self, forKey: .uid),
                name: try container.decode(String.self, forKey: .name))
        case .podmanContainer: self = .podmanContainer(try container.decode(String.self, forKey: .name))
        case .process: self = .process
        case .unknown: self = .unknown
        }
    }
}

/// Reads cgroup paths and /proc/PID/cgroup files.
public enum CgroupClassifier {
    /// The kind of holder a cgroup path names. Container cgroups are checked first, because Podman
    /// nests them inside slices and user units (`machine.slice/libpod-…`,
    /// `user@1000.service/user.slice/libpod-…`). Guarded by the table in `CgroupClassificationTests`.
    public static func classify(path: String) -> HolderKind {
        let components = path.split(separator: "/")
        for component in components {
            if let id = containerID(in: component) { return .podmanContainer(id) }
        }
        if let userIndex = components.firstIndex(where: { userManagerUID(in: $0) != nil }),
            let uid = userManagerUID(in: components[userIndex])
        {
            let inner = components[(userIndex + 1)...]
            guard let unit = inner.first(where: { $0.hasSuffix(".service") }) else { return .process }
            return .userUnit(uid: uid, name: String(unit))
        }
        if let sliceIndex = components.firstIndex(of: "system.slice"),
            let unit = components[(sliceIndex + 1)...].first(where: { $0.hasSuffix(".service") })
        {
            return .systemUnit(String(unit))
        }
        return .process
    }

    /// The container id in `libpod-<id>.scope`, `libpod-conmon-<id>.scope` or `libpod-<id>`.
    static func containerID(in component: Substring) -> String? {
        guard component.hasPrefix("libpod-") else { return nil }
        var id = component.dropFirst("libpod-".count)
        if id.hasPrefix("conmon-") { id = id.dropFirst("conmon-".count) }
        if id.hasSuffix(".scope") { id = id.dropLast(".scope".count) }
        guard !id.isEmpty, id.allSatisfy(\.isHexDigit) else { return nil }
        return String(id)
    }

    /// 1000 for `user@1000.service`, the unit that runs a user's own systemd.
    static func userManagerUID(in component: Substring) -> Int? {
        guard component.hasPrefix("user@"), component.hasSuffix(".service") else { return nil }
        return Int(component.dropFirst("user@".count).dropLast(".service".count))
    }

    /// The path that says which unit a process belongs to, from the text of /proc/PID/cgroup. systemd
    /// tracks units in its named v1 hierarchy (`1:name=systemd:/system.slice/ollama.service`) on v1 and
    /// hybrid hosts, and in the unified one (`0::/system.slice/ollama.service`) on v2 hosts, so the
    /// named line wins when both are present.
    public static func unitPath(fromProcCgroup text: String) -> String? {
        var unified: String?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[1].split(separator: ",").contains("name=systemd") { return String(parts[2]) }
            if parts[0] == "0" && parts[1].isEmpty { unified = String(parts[2]) }
        }
        return unified
    }
}
