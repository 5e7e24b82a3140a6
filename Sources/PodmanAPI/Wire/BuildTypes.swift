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

        public init(tags: [String]) {
            self.tags = tags
        }

        /// The query: maps as JSON, as the route reads them.
        var query: [URLQueryItem] {
            var items = [URLQueryItem(name: "dockerfile", value: dockerfile)]
            items += tags.map { URLQueryItem(name: "t", value: $0) }
            if !buildArgs.isEmpty { items.append(URLQueryItem(name: "buildargs", value: Self.json(buildArgs))) }
            if !labels.isEmpty { items.append(URLQueryItem(name: "labels", value: Self.json(labels))) }
            if let target { items.append(URLQueryItem(name: "target", value: target)) }
            if noCache { items.append(URLQueryItem(name: "nocache", value: "true")) }
            if pull { items.append(URLQueryItem(name: "pull", value: "true")) }
            return items
        }

        private static func json(_ map: [String: String]) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return (try? encoder.encode(map)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
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
