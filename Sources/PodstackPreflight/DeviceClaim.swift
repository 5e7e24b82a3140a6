import PodstackHost

/// One device a service asks for, as the compose translation gives it: a CDI name (`nvidia.com/gpu=all`)
/// or a host path with the access the container gets (`/dev/dri`, `rwm`).
public struct DeviceClaim: Sendable, Hashable, Codable {
    public var pod: String
    public var service: String
    /// `vendor/class=name`, or an absolute host path.
    public var device: String
    /// The cgroup permissions asked for a host path (`rwm` when the file gives none); a CDI device's own
    /// nodes carry their permissions in the spec.
    public var permissions: String

    public init(pod: String, service: String, device: String, permissions: String = "rwm") {
        self.pod = pod
        self.service = service
        self.device = device
        self.permissions = permissions
    }

    public var isCDIName: Bool { CDIDeviceName.looksQualified(device) }
}

/// The answer for one claimed device.
public enum DeviceVerdict: Sendable, Hashable {
    /// Podman will resolve it and the user can open its nodes; `source` is the spec file or the node.
    case available(source: String)
    /// No spec in the directories Podman reads declares the device's kind; broken specs that might have.
    case noSpec(broken: [CDISpecError])
    /// Specs of the kind exist but define no device of that name.
    case noSuchDevice(files: [String], available: [String])
    /// Two specs in one directory define the device; Podman picks neither.
    case conflictingSpecs(files: [String])
    /// Only a spec newer than this Podman reads defines the device.
    case specTooNew(file: String, version: String, supported: String)
    /// The spec defines it, but files it injects are gone (a driver upgraded or removed since the spec was
    /// written): Podman fails at start with "failed to stat CDI host device" or a mount error.
    case staleSpec(file: String, missing: [String])
    /// The user opens the node only through a supplementary group, which a rootless container keeps only
    /// when Podman runs it with crun and `keep-groups`: a warning, since that is the runtime's to decide.
    case onlyThroughGroup(node: String, group: String)
    case invalidName(String)
    case missingNode(String)
    /// The user cannot open the node; the group that would let them, when the node's group has a name.
    case notPermitted(node: String, group: String?, sessionLacksGroup: Bool)

    public var name: String {
        switch self {
        case .available: return "available"
        case .noSpec: return "no-spec"
        case .noSuchDevice: return "no-such-device"
        case .conflictingSpecs: return "conflicting-specs"
        case .specTooNew: return "spec-too-new"
        case .staleSpec: return "stale-spec"
        case .onlyThroughGroup: return "needs-keep-groups"
        case .invalidName: return "invalid-name"
        case .missingNode: return "missing-node"
        case .notPermitted: return "not-permitted"
        }
    }

    /// Whether `up` must stop: every case in which Podman would fail to create or start the container.
    public var refuses: Bool {
        switch self {
        case .available, .onlyThroughGroup: return false
        case .noSpec, .noSuchDevice, .conflictingSpecs, .specTooNew, .staleSpec, .invalidName, .missingNode,
            .notPermitted:
            return true
        }
    }
}
