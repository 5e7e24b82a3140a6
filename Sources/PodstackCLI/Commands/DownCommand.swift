import ArgumentParser
import Foundation
import PodstackCore

/// `podstack down`: stop in reverse dependency order and remove the pods; data stays.
struct DownCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop the stack in reverse dependency order and remove its pods. Data directories always stay.")

    @Argument(help: "Pods to take down (default: every pod of the stack).")
    var pods: [String] = []

    @OptionGroup var stack: StackOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Also remove the stack's named volumes and Podman secrets (never bind-mounted data directories).")
    var volumes = false

    @Flag(help: "Also remove containers in the stack's pods that podstack did not make (down refuses otherwise).")
    var removeForeignContainers = false

    @Option(help: "Seconds to wait for another podstack up/down to finish.")
    var lockTimeout: Int = 120

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let removeVolumes = volumes
            let removeForeign = removeForeignContainers
            let results = try await ChangingRun(
                context: context, stack: stack, connection: connection, pods: pods, lockTimeout: lockTimeout
            )
            .perform { runner, selected in
                try await runner.down(selected, removeVolumes: removeVolumes, removeForeign: removeForeign)
            }
            if output.json {
                try JSONOutput.print(results)
                return
            }
            for result in results {
                if result.wasUp {
                    print("\(result.pod): stopped \(result.stopped.count) container(s), pod removed")
                } else {
                    let nothingElse = result.removedVolumes.isEmpty && result.removedSecrets.isEmpty
                    print("\(result.pod): not up" + (nothingElse ? "; nothing to do" : ""))
                }
                if !result.removedVolumes.isEmpty {
                    print("\(result.pod): removed volumes \(result.removedVolumes.joined(separator: ", "))")
                }
                if !result.removedSecrets.isEmpty {
                    print("\(result.pod): removed secrets \(result.removedSecrets.joined(separator: ", "))")
                }
            }
        }
    }
}
