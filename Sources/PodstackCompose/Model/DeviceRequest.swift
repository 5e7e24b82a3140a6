/// Every way a compose file asks for a GPU or another device, before translation: what the parser read,
/// with where it read it. The translation (`DeviceTranslation.translate`) turns these into the device list
/// of Podman's create spec.
public enum DeviceForm: Sendable, Hashable {
    /// One `devices:` entry as written: `nvidia.com/gpu=all`, `/dev/dri:/dev/dri:rwm`, `/dev/kfd`.
    case devicesEntry(String, SourceLocation?)
    /// `gpus: all`.
    case allGPUs(SourceLocation?)
    /// One entry of `gpus: [...]`: a reservation with an implied `gpu` capability.
    case gpusEntry(DeviceReservation)
    /// One entry of `deploy.resources.reservations.devices`.
    case reservation(DeviceReservation)
}

/// A compose device reservation: `driver`, `count` or `device_ids`, `capabilities`, `options`.
public struct DeviceReservation: Sendable, Hashable {
    public enum Count: Sendable, Hashable {
        case all
        case number(Int)
    }

    public var driver: String?
    public var count: Count?
    public var deviceIDs: [String]?
    public var capabilities: [String]
    public var options: [String: String]
    public var location: SourceLocation?

    public init(
        driver: String? = nil, count: Count? = nil, deviceIDs: [String]? = nil, capabilities: [String] = [],
        options: [String: String] = [:], location: SourceLocation? = nil
    ) {
        self.driver = driver
        self.count = count
        self.deviceIDs = deviceIDs
        self.capabilities = capabilities
        self.options = options
        self.location = location
    }
}

/// One device for Podman's create spec (`devices: [{path: ...}]`), and why it is there.
public struct DeviceRequest: Sendable, Hashable, Codable {
    /// What the spec's `path` holds: `nvidia.com/gpu=0`, or `/dev/dri:/dev/dri:rwm` for a host node.
    public var path: String
    /// True for a CDI name, which Podman resolves against its CDI specs.
    public var isCDI: Bool
    /// For a host node, the host side and the cgroup permissions, for preflight to check (nil for CDI).
    public var hostPath: String?
    public var permissions: String?
    /// For `podstack config`: what the file said and what it became (`gpus: all -> nvidia.com/gpu=all`).
    public var reason: String
    public var location: SourceLocation?

    public init(
        path: String, isCDI: Bool, reason: String, location: SourceLocation?, hostPath: String? = nil,
        permissions: String? = nil
    ) {
        self.path = path
        self.isCDI = isCDI
        self.hostPath = hostPath
        self.permissions = permissions
        self.reason = reason
        self.location = location
    }
}
