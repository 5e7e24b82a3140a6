import Foundation

/// `GET /libpod/version` (abridged).
public struct VersionReport: Codable, Sendable {
    public var Version: String
    public var ApiVersion: String?
    public var Components: [Component]?

    public struct Component: Codable, Sendable {
        public var Name: String
        public var Version: String
        public var Details: [String: String]?
    }

    /// The libpod API version, e.g. "4.3.1".
    public var libpodAPIVersion: String? {
        Components?.first { $0.Name == "Podman Engine" }?.Details?["APIVersion"]
    }
}

/// `GET /libpod/info` (the fields podstack uses).
public struct SystemInfo: Codable, Sendable {
    public var host: Host
    public var store: Store
    public var version: Version

    public struct Host: Codable, Sendable {
        public var security: Security
        public var remoteSocket: RemoteSocket?
        public var ociRuntime: OCIRuntime?
        public var cgroupVersion: String?
        public var networkBackend: String?
        public var rootlessNetworkCmd: String?
        public var hostname: String?
    }
    public struct Security: Codable, Sendable { public var rootless: Bool }
    public struct RemoteSocket: Codable, Sendable { public var path: String? }
    public struct OCIRuntime: Codable, Sendable { public var name: String? }
    public struct Store: Codable, Sendable {
        public var graphDriverName: String?
        public var graphRoot: String?
    }
    public struct Version: Codable, Sendable {
        public var APIVersion: String
        public var Version: String
    }
}
