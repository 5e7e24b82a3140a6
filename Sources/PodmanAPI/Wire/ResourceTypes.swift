import Foundation

/// An item of `GET /libpod/images/json`.
public struct ImageSummary: Codable, Sendable {
    public var Id: String
    public var RepoTags: [String]?
    public var Names: [String]?
    public var Size: Int64?
    public var Created: Int64?
}

/// One JSON line of the pull stream: progress text, the final ids, or an error. A failed pull still
/// answers 200; the error is only in the stream.
public struct PullStreamLine: Codable, Sendable {
    public var stream: String?
    public var error: String?
    public var images: [String]?
    public var id: String?
}

/// What a pull reports as it goes.
public enum PullEvent: Sendable, Equatable {
    case progress(String)
    case pulled(imageID: String)
}

/// `POST /libpod/volumes/create` body.
public struct VolumeCreateSpec: Codable, Sendable {
    public var Name: String
    public var Label: [String: String]?

    public init(name: String, labels: [String: String]) {
        Name = name
        Label = labels
    }
}

/// A volume as inspect and list show it.
public struct VolumeInfo: Codable, Sendable {
    public var Name: String
    public var Driver: String?
    public var Mountpoint: String?
    public var Labels: [String: String]?
    public var CreatedAt: String?
}

/// `POST /libpod/secrets/create` answer (200, not 201).
public struct SecretCreateResponse: Codable, Sendable {
    public var ID: String
}

/// A secret as inspect and list show it (never its value).
public struct SecretInfo: Codable, Sendable {
    public var ID: String
    public var Spec: SecretSpec?
    public var CreatedAt: String?

    public struct SecretSpec: Codable, Sendable {
        public var Name: String
        public var Labels: [String: String]?
    }

    public var name: String { Spec?.Name ?? ID }
}
