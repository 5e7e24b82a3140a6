/// The whole stack: one pod per compose file, in the order the files were loaded.
public struct Stack: Sendable, Codable, Hashable {
    public var pods: [PodDefinition]
    /// Things worth saying that do not stop a load, such as a variable that is used but not set
    /// (which compose replaces by an empty string).
    public var warnings: [StackIssue]
    /// The profiles this load was made with (`--profile`). A service whose profiles are all inactive was
    /// left out of `pods`, but it is still in its file.
    public var activeProfiles: [String]

    public init(pods: [PodDefinition], warnings: [StackIssue] = [], activeProfiles: [String] = []) {
        self.pods = pods
        self.warnings = warnings
        self.activeProfiles = activeProfiles
    }

    public func pod(named name: String) -> PodDefinition? {
        pods.first { $0.name == name }
    }

    /// All services of all pods, pod by pod, each pod's in file order.
    public var services: [ServiceDefinition] { pods.flatMap(\.services) }
}

/// One pod: the services of one compose file, which share a network namespace and so reach each other
/// on 127.0.0.1; or, when the file asks for what one namespace cannot give, each with a namespace of its
/// own on the pod's Podman networks (`networks`).
public struct PodDefinition: Sendable, Codable, Hashable {
    public var name: String
    public var sourceFile: String
    public var services: [ServiceDefinition]
    public var volumes: [VolumeDefinition]
    public var secrets: [SecretDefinition]
    /// Empty for a pod whose services share one network namespace (most pods). Otherwise the networks its
    /// services join, each service in a namespace of its own (`NetworkDefinition`), and why.
    public var networks: [NetworkDefinition]
    public var ownNetworkReason: OwnNetworkReason?

    public init(
        name: String, sourceFile: String, services: [ServiceDefinition],
        volumes: [VolumeDefinition] = [], secrets: [SecretDefinition] = [], networks: [NetworkDefinition] = [],
        ownNetworkReason: OwnNetworkReason? = nil
    ) {
        self.name = name
        self.sourceFile = sourceFile
        self.services = services
        self.volumes = volumes
        self.secrets = secrets
        self.networks = networks
        self.ownNetworkReason = ownNetworkReason
    }

    /// Whether each service has a network namespace of its own on the pod's networks.
    public var servicesHaveOwnNetworks: Bool { !networks.isEmpty }

    public func network(key: String) -> NetworkDefinition? {
        networks.first { $0.key == key }
    }

    public func service(named name: String) -> ServiceDefinition? {
        services.first { $0.name == name }
    }

    public func volume(key: String) -> VolumeDefinition? {
        volumes.first { $0.key == key }
    }

    public func secret(key: String) -> SecretDefinition? {
        secrets.first { $0.key == key }
    }

    /// Every port the pod publishes. In a pod, ports are published on the infra container, so this is the
    /// list the pod is created with and the list the preflight checks.
    public var portMappings: [PortMapping] { services.flatMap(\.ports) }

    /// The published ports with a host port of their own, which the preflight checks (not those Podman picks).
    public var hostPortClaims: [PortMapping] { portMappings.filter { !$0.hostPortIsPicked } }

    /// The distinct host ports of the pod, ascending; not those Podman picks.
    public var hostPorts: [Int] { Array(Set(hostPortClaims.map(\.hostPort))).sorted() }
}

/// A named volume declared at the top level of a compose file.
public struct VolumeDefinition: Sendable, Codable, Hashable {
    /// The name Podman sees: `<pod>_<key>` as the compose spec prefixes with the project name, unless the
    /// file gives `name:`.
    public var name: String
    /// The key under top-level `volumes:`, which services refer to.
    public var key: String
    public var labels: [String: String]
    /// `external: true`: the volume must exist already; podstack neither creates nor removes it.
    public var external: Bool
    /// `driver_opts` of the local driver (`type`, `o`, `device`...), passed to Podman's volume create.
    public var driverOptions: [String: String]

    public init(
        name: String, key: String, labels: [String: String] = [:], external: Bool = false,
        driverOptions: [String: String] = [:]
    ) {
        self.name = name
        self.key = key
        self.labels = labels
        self.external = external
        self.driverOptions = driverOptions
    }

    /// The host directory a `type: none, o: bind` volume stands for; nil for any other volume.
    public var boundDevice: String? {
        guard let device = driverOptions["device"],
            driverOptions["o"]?.split(separator: ",").contains("bind") == true
        else { return nil }
        return device
    }
}

/// A secret declared at the top level of a compose file.
public struct SecretDefinition: Sendable, Codable, Hashable {
    public enum Source: Sendable, Codable, Hashable {
        /// An absolute path to a file that holds the secret.
        case file(path: String)
        /// The name of a variable (process environment, `.env` or `--env-file`) that holds the secret.
        case environment(variable: String)
        /// A config's text (a config given a `uid` or `gid`: a Podman secret is how a rootless container gets
        /// a file with an owner of its choosing).
        case text(String)
        /// A Podman secret made beforehand (a config with `external: true`): mounted, never made, read or
        /// removed by podstack.
        case external
    }

    public var key: String
    /// The name Podman sees: `<pod>_<key>` unless the file gives `name:`.
    public var name: String
    public var source: Source
    /// Set by the extension `x-podstack-generate: true`: when the file is absent, `podstack up` writes a
    /// random secret there (mode 0600) before creating the Podman secret, instead of refusing to start.
    public var generateIfMissing: Bool

    public init(key: String, name: String, source: Source, generateIfMissing: Bool = false) {
        self.key = key
        self.name = name
        self.source = source
        self.generateIfMissing = generateIfMissing
    }
}

/// A service's use of a secret.
public struct SecretReference: Sendable, Codable, Hashable {
    /// The key of the top-level secret.
    public var source: String
    /// Where the secret appears in the container; `/run/secrets/<source>` unless given.
    public var target: String
    public var uid: String?
    public var gid: String?
    public var mode: Int?

    public init(source: String, target: String? = nil, uid: String? = nil, gid: String? = nil, mode: Int? = nil) {
        self.source = source
        self.target = target ?? "/run/secrets/\(source)"
        self.uid = uid
        self.gid = gid
        self.mode = mode
    }
}

extension [PodDefinition] {
    /// The files the pods were read from, each once: a file split into pods (one per group of services
    /// that share no network) is the source of each of them.
    public var sourceFiles: [String] {
        var seen = Set<String>()
        return map(\.sourceFile).filter { seen.insert($0).inserted }
    }
}
