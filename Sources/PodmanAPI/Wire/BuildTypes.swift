import Foundation

extension Podman {
    /// What `POST /libpod/build` is asked to do, beside the context itself.
    public struct BuildOptions: Sendable, Equatable {
        /// Names for the result (`t`, one per name); the first is the image's name.
        public var tags: [String]
        /// The Dockerfile's path inside the context.
        public var dockerfile = "Dockerfile"
        public var buildArgs: [String: String] = [:]
        /// The stage to stop at, in a multi-stage Dockerfile.
        public var target: String?
        public var labels: [String: String] = [:]
        public var noCache = false
        /// Pull the base images even when they are here.
        public var pull = false
        /// The RUN steps' network: nil for Podman's default.
        public var network: BuildNetwork?
        /// `host:address` lines added to the RUN steps' /etc/hosts.
        public var extraHosts: [String] = []
        /// Build secrets (`RUN --mount=type=secret,id=...`), each a file the context archive carries.
        public var secrets: [BuildSecret] = []
        /// /dev/shm's size in the RUN steps, in bytes; nil for Podman's default (64 MiB).
        public var shmSize: Int?
        /// Repositories whose layers may stand in for steps (buildah's `--cache-from`; Podman 5's route
        /// reads a JSON list, 4.3's reads the parameter and uses it nowhere).
        public var cacheFrom: [String] = []
        /// Repositories the steps' layers are pushed to as a cache (Podman 5's `cacheto`).
        public var cacheTo: [String] = []

        /// The context directory, for Podman 5 to read in place (`remote`), when it runs as the same user
        /// on this host; nil: the context is the request's tar body.
        public var contextDirectory: String?
        /// Keep and reuse the layer cache (what `podman build` does); off only to get past a cache that
        /// cannot be read (`ImageBuild.cacheRace`).
        public var layers = true

        public init(tags: [String]) {
            self.tags = tags
        }

        /// The query: maps and lists as JSON, as the route reads them. `layers` and an output format, as
        /// `podman build` asks for them; without them Podman 4.3's route neither keeps nor reuses its
        /// layer cache, and a rebuild with nothing changed gets a new image ID (guarded by
        /// `BuildIntegrationTests.unchangedRebuildKeepsID`). Docker's format, as compose builds: the OCI
        /// format has no HEALTHCHECK, and Podman drops a Dockerfile's with only a warning in the build log
        /// (`ImageHealthcheckIntegrationTests` builds one and waits for it).
        var query: [URLQueryItem] {
            var items = [
                URLQueryItem(name: "dockerfile", value: dockerfile),
                URLQueryItem(name: "layers", value: layers ? "true" : "false"),
                URLQueryItem(name: "outputformat", value: "application/vnd.docker.distribution.manifest.v2+json"),
                // libpod's route reads `pullpolicy` and ignores `pull` (4.3); both say the same.
                URLQueryItem(name: "pullpolicy", value: pull ? "always" : "missing"),
            ]
            items += tags.map { URLQueryItem(name: "t", value: $0) }
            if !buildArgs.isEmpty { items.append(URLQueryItem(name: "buildargs", value: Self.json(buildArgs))) }
            if !labels.isEmpty { items.append(URLQueryItem(name: "labels", value: Self.json(labels))) }
            if let target { items.append(URLQueryItem(name: "target", value: target)) }
            if noCache { items.append(URLQueryItem(name: "nocache", value: "true")) }
            if pull { items.append(URLQueryItem(name: "pull", value: "true")) }
            if let network { items += network.query }
            if !extraHosts.isEmpty { items.append(URLQueryItem(name: "extrahosts", value: Self.json(extraHosts))) }
            if !secrets.isEmpty {
                items.append(URLQueryItem(name: "secrets", value: Self.json(secrets.map(\.option))))
            }
            if let shmSize { items.append(URLQueryItem(name: "shmsize", value: String(shmSize))) }
            if !cacheFrom.isEmpty { items.append(URLQueryItem(name: "cachefrom", value: Self.json(cacheFrom))) }
            if !cacheTo.isEmpty { items.append(URLQueryItem(name: "cacheto", value: Self.json(cacheTo))) }
            if let contextDirectory { items.append(URLQueryItem(name: "remote", value: contextDirectory)) }
            return items
        }

        static func json<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }

    /// The network of a build's RUN steps, as `podman build --network` sends it: a namespace option and
    /// buildah's network policy (1 disabled, 2 enabled).
    public enum BuildNetwork: String, Sendable, Equatable {
        case host
        /// No network (`network: none`; not named `none`, which an optional would take for nil).
        case isolated = "none"

        var query: [URLQueryItem] {
            let isHost = self == .host
            let namespace = #"[{"Name":"network","Host":\#(isHost),"Path":""}]"#
            return [
                URLQueryItem(name: "nsoptions", value: namespace),
                URLQueryItem(name: "networkmode", value: isHost ? "2" : "1"),
            ]
        }
    }

    /// A build secret: its id in the Dockerfile and the name of its file in the context archive. Podman
    /// moves that file out of the context before the build runs (as for `podman --remote build --secret`).
    public struct BuildSecret: Sendable, Equatable {
        public var id: String
        public var fileInContext: String

        public init(id: String, fileInContext: String) {
            self.id = id
            self.fileInContext = fileInContext
        }

        var option: String { "id=\(id),src=\(fileInContext)" }
    }

    /// What a build reports as it goes.
    public enum BuildEvent: Sendable, Equatable {
        /// A line of the build's output (`STEP 2/4: RUN ...`, the step's own output), without its newline.
        case output(String)
        /// The build ended with this image (its full ID, no `sha256:`).
        case built(imageID: String)
    }

    /// A build that Podman ran and that failed: its message names the step (`building at STEP "RUN false":
    /// ...`); `lastStep` is the last `STEP n/m:` line the build printed before it.
    public struct BuildFailure: Error, Sendable, Equatable {
        public var message: String
        public var lastStep: String?
        /// What that step printed (its last 50 lines), for showing beside the message.
        public var stepOutput: [String] = []
    }

    /// One JSON line of the build's output stream.
    struct BuildStreamLine: Decodable {
        var stream: String?
        var error: ErrorText?
        var errorDetail: ErrorDetail?
        var aux: Aux?

        struct Aux: Decodable {
            var ID: String?  // swiftlint:disable:this identifier_name
        }

        struct ErrorDetail: Decodable {
            var message: String?
        }

        /// `error` is a string from Podman, an object `{"message": ...}` from some Docker-compatible servers.
        struct ErrorText: Decodable {
            var text: String
            init(from decoder: any Decoder) throws {
                if let text = try? decoder.singleValueContainer().decode(String.self) {
                    self.text = text
                } else {
                    self.text = try ErrorDetail(from: decoder).message ?? "the build failed"
                }
            }
        }
    }
}
