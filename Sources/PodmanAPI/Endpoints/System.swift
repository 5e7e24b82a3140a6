import Foundation

/// System routes: ping, version, info.
extension PodmanClient {
    /// What `/_ping` says about the server.
    public struct Ping: Sendable, Equatable {
        /// `Libpod-Api-Version`, e.g. "4.3.1".
        public var libpodAPIVersion: String
    }

    static let libpodAPIVersionHeader = Podman.HTTP.Request.HeaderName("Libpod-Api-Version")

    /// `GET /_ping` (unversioned; the one route that is). Refuses servers that are not Podman.
    public func ping() async throws -> Ping {
        let request = Podman.HTTP.Request(
            .get, "/_ping", timeout: requestTimeout, responseHeaders: .only(Self.libpodAPIVersionHeader))
        let response = try await transport.send(request)
        guard response.status == 200 else {
            throw Self.httpError(status: response.status, route: "GET /_ping", body: response.body)
        }
        guard let version = response.headers["libpod-api-version"] else {
            throw PodmanError.transport(
                .notPodman("no Libpod-Api-Version header in the /_ping answer"), socketPath: socketPath)
        }
        return Ping(libpodAPIVersion: version)
    }

    /// `GET /libpod/version`.
    public func version() async throws -> Podman.VersionReport {
        try await get("/version")
    }

    /// `GET /libpod/info`: rootless or not, runtime, storage driver, socket path.
    public func info() async throws -> Podman.SystemInfo {
        try await get("/info")
    }
}
