import Foundation
import PodmanAPI

/// A checked connection to the Podman service: the socket answers, it is Podman 4.0 or newer, and it is
/// rootless (or rootful was allowed).
public struct PodmanConnection: Sendable {
    public let client: PodmanClient
    public let socketPath: String
    /// `Libpod-Api-Version` from the ping, e.g. "4.3.1".
    public let apiVersion: String
    /// The uid that owns the socket: the service's user. When podstack runs as root against another user's
    /// rootless service, the data directories it creates are handed to that user, or the containers (in
    /// that user's namespace) could not open them.
    public let serviceOwnerUID: UInt32
    /// The uid podstack itself runs as (`HostContext.effectiveUID`).
    public let runnerUID: UInt32

    /// A service's socket belongs to the user it runs as, so a socket owned by root is a rootful service.
    /// This is read from the socket rather than from `GET /info`, which takes Podman 0.2 to 0.4 s to
    /// answer here and was most of a no-op `up` (docs/benchmarks.md); `podstack info` still asks `/info`.
    public var rootless: Bool { serviceOwnerUID != 0 }

    public static func open(
        explicitURL: String?, host: HostContext, requestTimeout: Duration, allowRootful: Bool
    ) async throws -> PodmanConnection {
        let path: String
        do {
            path = try PodmanSocket.resolvePath(
                explicitURL: explicitURL, environment: host.environment, effectiveUID: host.effectiveUID)
        } catch {
            throw PodstackError.podmanUnavailable(PodmanFailure(error))
        }
        let client = PodmanClient(socketPath: path, requestTimeout: requestTimeout)
        let ping: PodmanClient.Ping
        do {
            ping = try await client.pingSupported()
        } catch let error as PodmanError {
            throw PodstackError.podmanUnavailable(PodmanFailure(error))
        } catch let old as Podman.UnsupportedVersion {
            throw PodstackError.unsupportedPodman(
                socketPath: old.socketPath, version: old.version, minimum: old.minimum.description)
        }
        let owner = ownerUID(ofSocket: path) ?? host.effectiveUID
        let connection = PodmanConnection(
            client: client, socketPath: path, apiVersion: ping.libpodAPIVersion, serviceOwnerUID: owner,
            runnerUID: host.effectiveUID)
        if !connection.rootless && !allowRootful {
            throw PodstackError.rootfulRefused(socketPath: path)
        }
        return connection
    }

    /// The uid that owns the socket file; nil when there is none.
    static func ownerUID(ofSocket path: String) -> UInt32? {
        var socketInfo = stat()
        return stat(path, &socketInfo) == 0 ? socketInfo.st_uid : nil
    }
}
