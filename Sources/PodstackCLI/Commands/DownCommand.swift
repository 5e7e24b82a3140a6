import ArgumentParser
import Foundation
import PodstackCore

/// `podstack down`: stop in reverse dependency order and remove the pods; data stays.
struct DownCommand: AsyncParsableCommand {
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

    @Option(help: "Seconds to wait for another podstack up/down to finish.")
    var lockTimeout: Int = 120

    func run() async throws {
        try await CommandErrors.reporting {
            let environment = ProcessInfo.processInfo.environment
            let (definition, variables) = try stack.loadWithVariables(environment: environment)
            for warning in definition.warnings { Console.error(warning.formatted(severity: "warning")) }
            let selected = try StackRunner.select(pods, from: definition)
            Interruption.installEarly()
            let lock = try await RunLock.acquire(
                path: RunLock.defaultPath(environment: environment), wait: .seconds(lockTimeout),
                onWait: { pid in Console.error("waiting for another podstack run\(pid.map { " (pid \($0))" } ?? "") to finish...") })
            let (connection, removeVolumes) = (self.connection, volumes)
            let results = try await Interruption.run {
                let podman = try await connection.connect()
                let runner = StackRunner(connection: podman, stack: definition, environment: variables, events: ProgressPrinter().sink)
                return try await runner.down(selected, removeVolumes: removeVolumes)
            }
            withExtendedLifetime(lock) {}
            if output.json {
                try JSONOutput.print(results)
                return
            }
            for result in results {
                if !result.wasUp {
                    print("\(result.pod): not up; nothing to do")
                    continue
                }
                print("\(result.pod): stopped \(result.stopped.count) container(s), pod removed")
                if !result.removedVolumes.isEmpty { print("\(result.pod): removed volumes \(result.removedVolumes.joined(separator: ", "))") }
                if !result.removedSecrets.isEmpty { print("\(result.pod): removed secrets \(result.removedSecrets.joined(separator: ", "))") }
            }
        }
    }
}
