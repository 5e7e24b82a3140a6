import Foundation
import PodmanAPI

/// A checked connection to the Podman service: the socket answers, it is Podman, and it is rootless
/// (or rootful was allowed).
public struct PodmanConnection: Sendable {
    public let client: PodmanClient
    public let summary: Summary
    /// The uid that owns the socket: the rootless service's user. When podstack runs as root against
    /// another user's service, the data directories it creates are handed to that user, or the
    /// containers (in that user's namespace) could not open them.
    public let serviceOwnerUID: UInt32

    public struct Summary: Codable, Sendable {
        public var socketPath: String
        public var podmanVersion: String
        public var apiVersion: String
        public var rootless: Bool
        public var ociRuntime: String?
        public var storageDriver: String?
    }

    public static func open(
        explicitURL: String?, environment: [String: String], requestTimeout: Duration, allowRootful: Bool
    ) async throws -> PodmanConnection {
        let path: String
        do {
            path = try PodmanSocket.resolvePath(explicitURL: explicitURL, environment: environment, effectiveUID: geteuid())
        } catch {
            throw PodstackError.podmanUnavailable(error)
        }
        let client = PodmanClient(socketPath: path, requestTimeout: requestTimeout)
        let ping: PodmanClient.Ping
        let info: SystemInfo
        do {
            ping = try await client.ping()
            info = try await client.info()
        } catch let error as PodmanError {
            throw PodstackError.podmanUnavailable(error)
        }
        if !info.host.security.rootless && !allowRootful {
            throw PodstackError.rootfulRefused(socketPath: path)
        }
        var socketInfo = stat()
        let owner = stat(path, &socketInfo) == 0 ? socketInfo.st_uid : geteuid()
        return PodmanConnection(
            client: client,
            summary: Summary(
                socketPath: path, podmanVersion: info.version.Version, apiVersion: ping.libpodAPIVersion,
                rootless: info.host.security.rootless, ociRuntime: info.host.ociRuntime?.name,
                storageDriver: info.store.graphDriverName),
            serviceOwnerUID: owner)
    }
}
