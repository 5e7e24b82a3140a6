import PodstackHost

/// The answer for one claimed port.
public enum Verdict: Sendable, Hashable {
    case free
    /// Held by this stack's own pod: the stack is already up, nothing to do.
    case ours(PortHolder)
    case conflict(PortHolder)
    /// Free now, but an enabled unit will take it at next boot (or when its socket is first used).
    case warning(EnabledUnit)
    /// The claimed host address is not one of this host's addresses.
    case unavailableAddress
    /// The bind failed for another reason (a privileged port, an address that is not an address).
    case cannotBind(reason: String)

    /// The one-word name used in the table and in JSON.
    public var name: String {
        switch self {
        case .free: return "free"
        case .ours: return "ours"
        case .conflict: return "conflict"
        case .warning: return "warning"
        case .unavailableAddress: return "unavailable-address"
        case .cannotBind: return "cannot-bind"
        }
    }

    /// Whether Podman's list of published ports could change this verdict: a port held by a rootless
    /// forwarder, a container, or a holder that could not be named for certain may be the stack's own pod.
    /// A port that a named process (a system unit, a user's server) holds is a conflict whatever Podman says.
    public var needsPodmanToExplain: Bool {
        switch self {
        case .conflict(let holder):
            if holder.certainty != .certain || holder.isRootlessPodmanForwarder { return true }
            switch holder.kind {
            case .podmanContainer, .unknown: return true
            case .systemUnit, .userUnit, .process: return false
            }
        case .free, .ours, .warning, .unavailableAddress, .cannotBind: return false
        }
    }

    /// Whether `up` must stop for this row.
    public var refuses: Bool {
        switch self {
        case .free, .ours, .warning: return false
        case .conflict, .unavailableAddress, .cannotBind: return true
        }
    }
}

/// One thing the user can do about a conflict or warning: a sentence, and a command to copy.
public struct WayOut: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case stopSystemUnit, stopUserUnit, disableUnit, stopContainer, stopPod, killProcess, movePort, inspect
        case generateSpec, chooseDevice, joinGroup, startNewSession, changeRuntime, grantAccess
    }

    public var action: Action
    public var sentence: String
    /// Nil when there is nothing safe to type (the holder is unknown).
    public var command: String?

    public init(action: Action, sentence: String, command: String?) {
        self.action = action
        self.sentence = sentence
        self.command = command
    }
}

/// What preflight found for every claimed port, and whether `up` must refuse.
public struct PreflightReport: Sendable, Codable {
    public struct Row: Sendable, Hashable {
        public var service: String
        public var pod: String
        /// The address as the kernel prints it (`127.0.0.1`, `::`), or as written when it is not one.
        public var address: String
        public var port: Int
        public var transport: TransportProtocol
        public var verdict: Verdict
        public var waysOut: [WayOut]
        public var variable: String?

        /// The holder of a conflict, or this stack's own container for `ours`.
        public var holder: PortHolder? {
            switch verdict {
            case .ours(let holder), .conflict(let holder): return holder
            case .free, .warning, .unavailableAddress, .cannotBind: return nil
            }
        }

        /// `127.0.0.1:11434/tcp`, `[::]:6333/tcp`.
        public var endpoint: String {
            let host = address.contains(":") ? "[\(address)]" : address
            return "\(host):\(port)/\(transport.rawValue)"
        }
    }

    public var stackName: String
    public var strict: Bool
    public var rows: [Row]
    /// The devices the stack asks for, checked by DeviceChecker; empty for a stack that asks for none.
    /// Written to JSON for scripts, not read back: a decoded report has none.
    public var devices: [DeviceRow] = []
    /// Notes about the run as a whole, in plain sentences (an unprivileged view, an unreadable table).
    public var warnings: [String]

    /// True when any row is a conflict, an unavailable address or an impossible bind. Warnings count
    /// only under `strict`, where the checker has already turned them into conflicts.
    /// Whether asking Podman which ports its containers publish could change a verdict.
    public var needsPodmanToExplain: Bool { rows.contains { $0.verdict.needsPodmanToExplain } }

    public var refuses: Bool { rows.contains { $0.verdict.refuses } || devices.contains { $0.verdict.refuses } }

    public init(stackName: String, strict: Bool, rows: [Row], warnings: [String]) {
        self.stackName = stackName
        self.strict = strict
        self.rows = rows
        self.warnings = warnings
    }

    private enum CodingKeys: String, CodingKey { case stackName, strict, rows, devices, warnings, refuses }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stackName, forKey: .stackName)
        try container.encode(strict, forKey: .strict)
        try container.encode(refuses, forKey: .refuses)
        try container.encode(rows, forKey: .rows)
        if !devices.isEmpty { try container.encode(devices, forKey: .devices) }
        try container.encode(warnings, forKey: .warnings)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stackName = try container.decode(String.self, forKey: .stackName)
        strict = try container.decode(Bool.self, forKey: .strict)
        rows = try container.decode([Row].self, forKey: .rows)
        warnings = try container.decode([String].self, forKey: .warnings)
    }
}

/// A row in JSON is flat: `"verdict": "conflict"` beside `"holder": {...}` and `"unit": {...}`, so a
/// script reads it without knowing Swift's encoding of enums.
extension PreflightReport.Row: Codable {
    private enum CodingKeys: String, CodingKey {
        case service, pod, address, port, transport = "protocol", verdict, holder, unit, reason, waysOut, variable
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encode(pod, forKey: .pod)
        try container.encode(address, forKey: .address)
        try container.encode(port, forKey: .port)
        try container.encode(transport, forKey: .transport)
        try container.encode(verdict.name, forKey: .verdict)
        try container.encodeIfPresent(holder, forKey: .holder)
        if case .warning(let unit) = verdict { try container.encode(unit, forKey: .unit) }
        if case .cannotBind(let reason) = verdict { try container.encode(reason, forKey: .reason) }
        try container.encode(waysOut, forKey: .waysOut)
        try container.encodeIfPresent(variable, forKey: .variable)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decode(String.self, forKey: .service)
        pod = try container.decode(String.self, forKey: .pod)
        address = try container.decode(String.self, forKey: .address)
        port = try container.decode(Int.self, forKey: .port)
        transport = try container.decode(TransportProtocol.self, forKey: .transport)
        waysOut = try container.decode([WayOut].self, forKey: .waysOut)
        variable = try container.decodeIfPresent(String.self, forKey: .variable)
        let holder = try container.decodeIfPresent(PortHolder.self, forKey: .holder)
        switch try container.decode(String.self, forKey: .verdict) {
        case "free": verdict = .free
        case "ours": verdict = .ours(holder ?? .unidentified)
        case "conflict": verdict = .conflict(holder ?? .unidentified)
        case "warning": verdict = .warning(try container.decode(EnabledUnit.self, forKey: .unit))
        case "unavailable-address": verdict = .unavailableAddress
        case "cannot-bind": verdict = .cannotBind(reason: try container.decode(String.self, forKey: .reason))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .verdict, in: container, debugDescription: "unknown verdict \(other)")
        }
    }
}
