import Foundation

extension Podman {
    /// `GET /libpod/version` (abridged).
    public struct VersionReport: Codable, Sendable {
        public var version: String
        public var apiVersion: String?
        public var components: [Component]?

        enum CodingKeys: String, CodingKey {
            case version = "Version"
            case apiVersion = "ApiVersion"
            case components = "Components"
        }

        public struct Component: Codable, Sendable {
            public var name: String
            public var version: String
            public var details: [String: String]?

            enum CodingKeys: String, CodingKey {
                case name = "Name"
                case version = "Version"
                case details = "Details"
            }
        }

        /// The libpod API version, e.g. "4.3.1".
        public var libpodAPIVersion: String? {
            components?.first { $0.name == "Podman Engine" }?.details?["APIVersion"]
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
            public var apiVersion: String
            public var version: String

            enum CodingKeys: String, CodingKey {
                case apiVersion = "APIVersion"
                case version = "Version"
            }
        }
    }
}
