/// What a service's `build:` asks for: the image podstack builds from a context directory before the
/// service's container is created. The built image is tagged with the service's `image` (for a service
/// that names none, `localhost/<pod>-<service>`) and with each of `tags`.
public struct BuildDefinition: Sendable, Codable, Hashable {
    /// The context directory, absolute (a relative context is taken from the compose file's directory).
    public var context: String
    /// The Dockerfile's path inside the context; nil for the builder's default (Containerfile, Dockerfile).
    public var dockerfile: String?
    /// The Dockerfile's text, written in the compose file; set instead of `dockerfile`, never both.
    public var dockerfileInline: String?
    /// Build arguments; a nil value is an argument written without one (taken from the environment).
    public var args: [String: String?]
    public var target: String?
    public var labels: [String: String]
    public var noCache: Bool
    /// Pull the base images even when they are present.
    public var pull: Bool
    /// Further names of the built image, beside the service's image.
    public var tags: [String]
    /// The RUN steps' network: "host" or "none"; nil for Podman's default.
    public var network: String?
    /// `name:address` entries for the RUN steps' /etc/hosts.
    public var extraHosts: [String] = []
    /// Secrets a RUN step may mount (`--mount=type=secret,id=ID`).
    public var secrets: [BuildSecretUse] = []
    /// /dev/shm's size in the RUN steps, in bytes.
    public var shmSize: Int?
    /// Image repositories whose layers may stand in for build steps.
    public var cacheFrom: [String] = []
    /// Image repositories the build's layers are pushed to, as a cache for other machines.
    public var cacheTo: [String] = []
    /// Where `build:` is written, for messages about the build.
    public var location: SourceLocation

    public init(
        context: String, dockerfile: String? = nil, dockerfileInline: String? = nil, args: [String: String?] = [:],
        target: String? = nil, labels: [String: String] = [:], noCache: Bool = false, pull: Bool = false,
        tags: [String] = [], location: SourceLocation
    ) {
        self.context = context
        self.dockerfile = dockerfile
        self.dockerfileInline = dockerfileInline
        self.args = args
        self.target = target
        self.labels = labels
        self.noCache = noCache
        self.pull = pull
        self.tags = tags
        self.location = location
    }

    /// The name of the inline Dockerfile in the context archive: one no context is likely to hold (a file
    /// of that name in the context is left out for it).
    public static let inlineDockerfileName = ".podstack-inline.Dockerfile"

    /// The image a service with `build:` and no `image:` gets: lower case, since image names must be.
    public static func defaultImage(pod: String, service: String) -> String {
        "localhost/\(pod)-\(service)".lowercased()
    }
}

/// A secret given to a build: the id a RUN step mounts it by (the reference's `target`, else its source's
/// key) and where its value comes from.
public struct BuildSecretUse: Sendable, Codable, Hashable {
    public var id: String
    public var source: SecretDefinition.Source

    public init(id: String, source: SecretDefinition.Source) {
        self.id = id
        self.source = source
    }
}
