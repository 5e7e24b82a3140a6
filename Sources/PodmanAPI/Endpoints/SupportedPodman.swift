import Foundation

extension Podman {
    /// A libpod API version as `/_ping` names it ("4.3.1", "5.4.2", "5.0.0-dev"): its numeric part.
    public struct LibpodVersion: Sendable, Comparable, CustomStringConvertible {
        public var major: Int
        public var minor: Int
        public var patch: Int

        public init(_ major: Int, _ minor: Int, _ patch: Int) {
            self.major = major
            self.minor = minor
            self.patch = patch
        }

        /// Nil when the text does not start with a number; missing parts and suffixes ("-dev", "-rhel") are read as 0.
        public init?(_ text: String) {
            let numeric = text.prefix { $0.isNumber || $0 == "." }
            let parts = numeric.split(separator: ".", omittingEmptySubsequences: false).prefix(3).map { Int($0) }
            guard let first = parts.first, let major = first else { return nil }
            let rest = parts.dropFirst().map { $0 ?? 0 }
            self.init(major, rest.first ?? 0, rest.dropFirst().first ?? 0)
        }

        public static func < (lhs: LibpodVersion, rhs: LibpodVersion) -> Bool {
            (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }

        public var description: String { "\(major).\(minor).\(patch)" }
    }

    /// The service's libpod API is older than podstack supports, or not a version at all.
    public struct UnsupportedVersion: Error, Sendable, Equatable {
        /// What the service said, as it said it.
        public var version: String
        public var minimum: LibpodVersion
        public var socketPath: String
    }
}

extension PodmanClient {
    /// The oldest Podman podstack talks to. Every route podstack calls is under the `/v4.0.0/libpod` prefix
    /// (README: one prefix serves 4.0 through 5.x), which a 3.x service does not serve, since it answers only
    /// API versions up to its own; and the pod, network and create specs podstack sends are the 4.x ones
    /// (netavark era). Tested on 4.3.1 and 5.4.2.
    public static let minimumLibpodVersion = Podman.LibpodVersion(4, 0, 0)

    /// `GET /_ping`, refusing a service older than `minimumLibpodVersion` with `Podman.UnsupportedVersion`.
    public func pingSupported() async throws -> Ping {
        let ping = try await ping()
        guard let version = Podman.LibpodVersion(ping.libpodAPIVersion), version >= Self.minimumLibpodVersion
        else {
            throw Podman.UnsupportedVersion(
                version: ping.libpodAPIVersion, minimum: Self.minimumLibpodVersion, socketPath: socketPath)
        }
        return ping
    }
}
