import Foundation

extension Podman {
    /// An item of `GET /libpod/images/json`.
    public struct ImageSummary: Codable, Sendable {
        public var id: String
        public var repoTags: [String]?
        public var names: [String]?
        public var size: Int64?
        public var created: Int64?

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case repoTags = "RepoTags"
            case names = "Names"
            case size = "Size"
            case created = "Created"
        }
    }

    /// One JSON line of the pull stream: progress text, the final ids, or an error. A failed pull still
    /// answers 200; the error is only in the stream.
    struct PullStreamLine: Codable, Sendable {
        var stream: String?
        var error: String?
        var images: [String]?
        var id: String?
    }

    /// What a pull reports as it goes.
    public enum PullEvent: Sendable, Equatable {
        case progress(String)
        case pulled(imageID: String)
    }

    /// `POST /libpod/volumes/create` body.
    public struct VolumeCreateSpec: Codable, Sendable {
        public var name: String
        public var labels: [String: String]?

        /// The local driver's mount options (`type`, `o`, `device`...); nil for a plain volume.
        public var options: [String: String]?

        public init(name: String, labels: [String: String], options: [String: String]? = nil) {
            self.name = name
            self.labels = labels
            self.options = options
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case labels = "Label"
            case options = "Options"
        }
    }

    /// A volume as inspect and list show it.
    public struct VolumeInfo: Codable, Sendable {
        public var name: String
        public var driver: String?
        public var mountpoint: String?
        public var labels: [String: String]?
        public var createdAt: String?
        /// The local driver's options it was made with (`type`, `o`, `device`...).
        public var options: [String: String]?

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case driver = "Driver"
            case mountpoint = "Mountpoint"
            case labels = "Labels"
            case createdAt = "CreatedAt"
            case options = "Options"
        }
    }

    /// `POST /libpod/secrets/create` answer (200, not 201).
    struct SecretCreateResponse: Codable, Sendable {
        var id: String

        enum CodingKeys: String, CodingKey { case id = "ID" }
    }

    /// A secret as inspect and list show it (never its value).
    public struct SecretInfo: Codable, Sendable {
        public var id: String
        public var spec: Spec?
        public var createdAt: String?

        public var name: String { spec?.name ?? id }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case spec = "Spec"
            case createdAt = "CreatedAt"
        }

        public struct Spec: Codable, Sendable {
            public var name: String
            public var labels: [String: String]?

            enum CodingKeys: String, CodingKey {
                case name = "Name"
                case labels = "Labels"
            }
        }
    }
}
