/// One service of a pod: what podstack needs to create, start and wait for its container.
public struct ServiceDefinition: Sendable, Codable, Hashable {
    /// The compose service key, such as `ollama`.
    public var name: String
    public var podName: String
    /// `<pod>-<service>`, such as `local-ai-ollama`.
    public var containerName: String
    public var image: String
    /// The variable that sets the image (`OLLAMA_IMAGE`) when the value came from interpolation, so that a
    /// message about a missing image can say which variable to change.
    public var imageVariable: String?
    public var command: [String]?
    public var entrypoint: [String]?
    public var environment: [String: String]
    public var ports: [PortMapping]
    public var mounts: [MountDefinition]
    public var dependsOn: [Dependency]
    public var healthcheck: HealthCheck?
    /// True when the file says `disable: true` or `test: ["NONE"]`: the image's own check is switched off.
    public var healthcheckDisabled: Bool
    public var restart: RestartPolicy
    public var labels: [String: String]
    public var user: String?
    public var workingDir: String?
    public var stopSignal: String?
    public var stopGracePeriodSeconds: Int?
    public var secrets: [SecretReference]
    /// `configs:`: files mounted read-only (their binds are in `mounts` too).
    public var configs: [ConfigMount] = []
    public var profiles: [String]
    /// Hostname, aliases, hosts entries and DNS settings, which the pod gathers (`PodDefinition.network`).
    public var addressing = ServiceAddressing()
    /// Terminal, init, privileges, limits and tmpfs mounts of the process.
    public var process = ProcessSettings()
    /// GPUs and other devices for the create spec, from `devices:`, `gpus:` and device reservations.
    public var devices: [DeviceRequest] = []
    /// `pid`, `ipc` and `uts` of the service's container.
    public var namespaces = ServiceNamespaces()
    /// CPU, memory and pids limits, from the service's keys and `deploy.resources`.
    public var resources = ResourceLimits()
    /// `logging:` (nil: Podman's default driver).
    public var logging: LoggingSettings?
    /// `userns_mode`, which the pod applies to all its services (`PodDefinition.usernsMode`).
    public var usernsMode: String?
    /// `build:`: the image is built from a context before the container is created (nil: pulled).
    public var build: BuildDefinition?
    /// `annotations:`, OCI annotations on the container.
    public var annotations: [String: String] = [:]
    /// `pull_policy:`: when the image is pulled (or built).
    public var pullPolicy: PullPolicy = .missing
    /// Where the service's key is, for messages about the service as a whole.
    public var location: SourceLocation

    public init(
        name: String, podName: String, image: String, imageVariable: String? = nil,
        command: [String]? = nil, entrypoint: [String]? = nil, environment: [String: String] = [:],
        ports: [PortMapping] = [], mounts: [MountDefinition] = [], dependsOn: [Dependency] = [],
        healthcheck: HealthCheck? = nil, healthcheckDisabled: Bool = false, restart: RestartPolicy = .no,
        labels: [String: String] = [:], user: String? = nil, workingDir: String? = nil,
        stopSignal: String? = nil, stopGracePeriodSeconds: Int? = nil, secrets: [SecretReference] = [],
        profiles: [String] = [], location: SourceLocation
    ) {
        self.name = name
        self.podName = podName
        self.containerName = ServiceDefinition.containerName(pod: podName, service: name)
        self.image = image
        self.imageVariable = imageVariable
        self.command = command
        self.entrypoint = entrypoint
        self.environment = environment
        self.ports = ports
        self.mounts = mounts
        self.dependsOn = dependsOn
        self.healthcheck = healthcheck
        self.healthcheckDisabled = healthcheckDisabled
        self.restart = restart
        self.labels = labels
        self.user = user
        self.workingDir = workingDir
        self.stopSignal = stopSignal
        self.stopGracePeriodSeconds = stopGracePeriodSeconds
        self.secrets = secrets
        self.profiles = profiles
        self.location = location
    }

    public static func containerName(pod: String, service: String) -> String { "\(pod)-\(service)" }

    /// Whether a run with these profiles active runs this service: one without profiles always runs.
    public func isEnabled(by activeProfiles: Set<String>) -> Bool {
        profiles.isEmpty || !activeProfiles.isDisjoint(with: profiles)
    }

    /// The service with every source location blanked. Hash this, not the service itself, for a config
    /// hash: otherwise adding a comment line above a service would recreate its container.
    public var withoutSourceLocations: ServiceDefinition {
        var copy = self
        let blank = SourceLocation(file: "", line: 0, column: 0)
        copy.location = blank
        copy.build?.location = blank
        copy.ports = ports.map { port in
            var port = port
            port.location = blank
            return port
        }
        copy.devices = devices.map { device in
            var device = device
            device.location = nil
            return device
        }
        return copy
    }
}

/// A `depends_on` entry.
public struct Dependency: Sendable, Codable, Hashable {
    public enum Condition: String, Sendable, Codable, Hashable, CaseIterable {
        case started = "service_started"
        case healthy = "service_healthy"
        case completedSuccessfully = "service_completed_successfully"
    }

    public var service: String
    public var condition: Condition
    /// When false, a dependency that is missing (say, left out by a profile) or fails does not hold back
    /// the dependent.
    public var required: Bool
    /// `restart:` as written. `up` restarts a dependent after its dependency's container is made anew
    /// (true, and podstack's rule when unset); `false` keeps this dependent running then.
    public var restart: Bool?

    public init(service: String, condition: Condition = .started, required: Bool = true, restart: Bool? = nil) {
        self.service = service
        self.condition = condition
        self.required = required
        self.restart = restart
    }
}

/// What Podman does when the container exits. Encoded as the compose string (`on-failure:3`), which is
/// also what Podman's `restart_policy`/`restart_tries` pair is made from.
public enum RestartPolicy: Sendable, Hashable, Codable, CustomStringConvertible {
    case no
    case always
    case onFailure(maxRetries: Int?)
    case unlessStopped

    /// Parses the compose forms: `no`, `always`, `on-failure`, `on-failure:N`, `unless-stopped`.
    public init?(composeValue: String) {
        switch composeValue {
        case "no": self = .no
        case "always": self = .always
        case "unless-stopped": self = .unlessStopped
        case "on-failure": self = .onFailure(maxRetries: nil)
        default:
            let prefix = "on-failure:"
            guard composeValue.hasPrefix(prefix),
                let retries = Int(composeValue.dropFirst(prefix.count)), retries >= 0
            else { return nil }
            self = .onFailure(maxRetries: retries)
        }
    }

    public var description: String {
        switch self {
        case .no: "no"
        case .always: "always"
        case .unlessStopped: "unless-stopped"
        case .onFailure(let retries): retries.map { "on-failure:\($0)" } ?? "on-failure"
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let policy = RestartPolicy(composeValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown restart policy \(text)"))
        }
        self = policy
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
