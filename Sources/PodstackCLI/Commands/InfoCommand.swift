import ArgumentParser
import Foundation
import PodmanAPI
import PodstackCore

/// `podstack info`: which Podman service podstack would use, and what it is.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show the Podman service podstack talks to: version, API, rootless, socket.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    struct Summary: Codable {
        var socketPath: String
        var podmanVersion: String
        var apiVersion: String
        var rootless: Bool
        var ociRuntime: String?
        var storageDriver: String?
    }

    func run() async throws {
        try await CommandErrors.reporting {
            let podman = try await connection.connect()
            let info: Podman.SystemInfo
            do {
                info = try await podman.client.info()
            } catch let error as PodmanError {
                throw PodstackError.from(error, during: "reading /info")
            }
            let summary = Summary(
                socketPath: podman.socketPath, podmanVersion: info.version.version, apiVersion: podman.apiVersion,
                rootless: info.host.security.rootless, ociRuntime: info.host.ociRuntime?.name,
                storageDriver: info.store.graphDriverName)
            if output.json {
                try JSONOutput.print(summary)
            } else {
                print("socket:      \(summary.socketPath)")
                print("podman:      \(summary.podmanVersion)")
                print("libpod API:  \(summary.apiVersion)")
                print("rootless:    \(summary.rootless ? "yes" : "no")")
                print("runtime:     \(summary.ociRuntime ?? "unknown")")
                print("storage:     \(summary.storageDriver ?? "unknown")")
            }
        }
    }
}
