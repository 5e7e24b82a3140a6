import ArgumentParser
import Foundation
import PodstackCore

/// `podstack info`: which Podman service podstack would use, and what it is.
struct InfoCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show the Podman service podstack talks to: version, API, rootless, socket.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let podman = try await connection.connect(host: context.host)
            let summary = try await podman.summary()
            if output.json {
                try JSONOutput.print(summary)
            } else {
                print("socket:      \(summary.socketPath)")
                print("podman:      \(summary.podmanVersion)")
                print("libpod API:  \(summary.apiVersion)")
                print("rootless:    \(summary.rootless ? "yes" : "no")")
                print("runtime:     \(summary.ociRuntime ?? "unknown")")
                print("storage:     \(summary.storageDriver ?? "unknown")")
                let devices = summary.cdiDevices.joined(separator: ", ")
                print("CDI devices: " + (devices.isEmpty ? "none (no spec in /etc/cdi or /var/run/cdi)" : devices))
            }
        }
    }
}
