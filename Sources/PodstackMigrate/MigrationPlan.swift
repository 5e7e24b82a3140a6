import PodstackCompose

/// A system unit of a stack service, found under the root.
public struct FoundUnit: Sendable, Codable, Hashable {
    public var name: String
    /// Unit file and drop-ins, inside the root.
    public var files: [String]
    public var enabled: Bool
    /// Only ever true when the root is `/`: the units of a mounted old disk are not running here.
    public var running: Bool
    public var user: String?
}

/// What `podstack migrate` would do for one service.
public struct ServiceMigration: Sendable, Encodable {
    public enum State: String, Sendable, Codable {
        /// Data found and a destination for it: will be copied.
        case ready
        /// The units exist but no data directory was found where they keep it.
        case noData = "no-data"
        /// The loaded stack has no service to take this one's place.
        case noStackService = "no-stack-service"
        /// The stack service keeps this data in a named volume or not at all: nothing to copy into.
        case noBindMount = "no-bind-mount"
    }

    public var kind: MigratableService
    /// `pod/service` of the stack service that takes over, such as `local-ai/ollama`.
    public var stackService: String?
    public var units: [FoundUnit]
    /// The data directory, inside the root.
    public var source: String?
    /// Why that directory: "OLLAMA_MODELS in ollama.service", "home of user ollama".
    public var sourceReason: String?
    /// Every place looked at, in order, when nothing was found or to show what was passed over.
    public var lookedIn: [String]
    public var destination: String?
    public var tree: SourceTree?
    public var glance: DestinationGlance?
    public var state: State
    public var notes: [String]

    /// Units whose data is rewritten in place and which run now: copying them would give a torn copy.
    public var runningUnitsThatMustStop: [String] {
        kind.mustBeStoppedToCopy ? units.filter(\.running).map(\.name) : []
    }

    enum CodingKeys: String, CodingKey {
        case service, stackService, units, source, sourceReason, lookedIn, destination, state, notes, files, bytes
        case unreadable, passedOver, followedLinks, destinationPresent, destinationDiffering
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .service)
        try container.encodeIfPresent(stackService, forKey: .stackService)
        try container.encode(units, forKey: .units)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encodeIfPresent(sourceReason, forKey: .sourceReason)
        try container.encode(lookedIn, forKey: .lookedIn)
        try container.encodeIfPresent(destination, forKey: .destination)
        try container.encode(state, forKey: .state)
        try container.encode(notes, forKey: .notes)
        try container.encode(tree?.fileCount ?? 0, forKey: .files)
        try container.encode(tree?.byteCount ?? 0, forKey: .bytes)
        try container.encode(tree?.unreadable ?? [], forKey: .unreadable)
        try container.encode(tree?.passedOver ?? [], forKey: .passedOver)
        try container.encode(tree?.followedLinks ?? [], forKey: .followedLinks)
        try container.encode(glance?.present ?? 0, forKey: .destinationPresent)
        try container.encode(glance?.differing ?? 0, forKey: .destinationDiffering)
    }
}

/// The whole migration: every stack service that a system unit ran, in the stack's order.
public struct MigrationPlan: Sendable, Encodable {
    public var root: String
    public var services: [ServiceMigration]

    public var ready: [ServiceMigration] { services.filter { $0.state == .ready } }
    public var units: [FoundUnit] { services.flatMap(\.units) }
    /// Directories that need a read permission the user lacks: the top of each source with unreadable parts.
    public var unreadableSources: [String] {
        services.compactMap { service in
            (service.tree?.unreadable.isEmpty ?? true) ? nil : service.source
        }
    }
}
