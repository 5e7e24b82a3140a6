import Foundation
import PodmanAPI

/// `podstack info`: which Podman service podstack talks to, and what it is.
public struct PodmanSummary: Sendable, Codable {
    public var socketPath: String
    public var podmanVersion: String
    public var apiVersion: String
    public var rootless: Bool
    public var ociRuntime: String?
    public var storageDriver: String?
    /// The CDI devices Podman can resolve here (`nvidia.com/gpu=all`), from the specs on this host.
    public var cdiDevices: [String] = []
}

extension PodmanConnection {
    /// Asks `GET /info` (0.2 to 0.4 s on Podman 4.3), which nothing else needs.
    public func summary() async throws -> PodmanSummary {
        let info: Podman.SystemInfo
        do {
            info = try await client.info()
        } catch let error as PodmanError {
            try PodstackError.rethrow(error, during: "reading /info")
        }
        return PodmanSummary(
            socketPath: socketPath, podmanVersion: info.version.version, apiVersion: apiVersion,
            rootless: info.host.security.rootless, ociRuntime: info.host.ociRuntime?.name,
            storageDriver: info.store.graphDriverName, cdiDevices: resolvableCDIDevices())
    }

    /// Runs `work` on the client's own threads, where each request runs in place instead of hopping to a
    /// worker and back (CurlWorkerPool explains why that may block).
    public func onClientExecutor<Result: Sendable>(
        _ work: () async throws -> Result
    ) async throws -> Result {
        try await withTaskExecutorPreference(client.executor, operation: work)
    }
}
