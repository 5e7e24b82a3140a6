/// Decides whether a systemd unit is "the same program" as a service of the stack: the question behind
/// both the likely holder and the boot-time warning. Units are named after the program (`ollama`,
/// `qdrant`, `postgresql@15-main`) while stack services carry the stack's own names (`aidb-postgres`),
/// so both are reduced to known program keywords.
public struct ServiceMatcher: Sendable {
    /// Program keyword to the ports it takes when its unit names none. An empty list means "unknown",
    /// in which case a name match alone is enough.
    public var defaultPorts: [String: [Int]]

    public static let knownPrograms: [String: [Int]] = [
        "ollama": [11434],
        "qdrant": [6333, 6334],
        "open-webui": [8080],
        "openwebui": [8080],
        "mindsdb": [47334, 47335],
        "postgres": [5432],
    ]

    public init(defaultPorts: [String: [Int]] = ServiceMatcher.knownPrograms) {
        self.defaultPorts = defaultPorts
    }

    /// `postgresql@15-main.service` -> `postgresql`.
    static func baseName(ofUnit unit: String) -> String {
        var base = Substring(unit.lowercased())
        if let dot = base.lastIndex(of: ".") { base = base[..<dot] }
        if let at = base.firstIndex(of: "@") { base = base[..<at] }
        return String(base)
    }

    /// The program keyword both names share, or the unit's base name when it equals the service name.
    func sharedProgram(unit: String, service: String) -> String? {
        let base = Self.baseName(ofUnit: unit)
        let service = service.lowercased()
        if let keyword = defaultPorts.keys.sorted().first(where: { base.contains($0) && service.contains($0) }) {
            return keyword
        }
        return base == service ? base : nil
    }

    public func unitNameMatches(unit: String, service: String) -> Bool {
        sharedProgram(unit: unit, service: service) != nil
    }

    /// Whether the unit will take `port`: its file names the port, or it names no port at all and is
    /// the stack service's program, whose default is that port (or whose default is not known).
    public func unitWillTake(port: Int, unit: String, unitPorts: [Int], service: String) -> Bool {
        if unitPorts.contains(port) { return true }
        guard unitPorts.isEmpty, let program = sharedProgram(unit: unit, service: service) else { return false }
        let defaults = defaultPorts[program] ?? []
        return defaults.isEmpty || defaults.contains(port)
    }
}
