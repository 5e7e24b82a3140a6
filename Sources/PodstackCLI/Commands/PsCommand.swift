import ArgumentParser
import Foundation
import PodstackCore

/// `podstack ps`: every service of the stack, including those that should exist and do not.
struct PsCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "Show every service of the stack: state, health, ports, uptime.")

    @Argument(help: "Pods to show (default: every pod of the stack).")
    var pods: [String] = []

    @OptionGroup var stack: StackOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let host = context.host
            let definition = try stack.load(environment: host.environment)
            let selected = try StackRunner.select(pods, from: definition)
            let podman = try await connection.connect(host: host)
            let rows = try await StackRunner(
                connection: podman, stack: definition, environment: host.environment, events: { _ in }
            )
            .status(selected)
            if output.json {
                try JSONOutput.print(rows)
                return
            }
            print(
                TextTable.render(
                    header: ["POD", "SERVICE", "CONTAINER", "STATE", "HEALTH", "UPTIME", "PORTS"],
                    rows: rows.map { row in
                        [
                            row.pod, row.service, row.container,
                            row.state + (row.upToDate == false ? " (outdated)" : ""),
                            row.health ?? "-", row.uptimeSeconds.map(Self.uptime) ?? "-",
                            row.ports.joined(separator: ", "),
                        ]
                    }))
        }
    }

    static func uptime(_ seconds: Int) -> String {
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h\(seconds % 3600 / 60)m"
    }
}
