import ArgumentParser
import Foundation
import PodstackCore
import PodstackPreflight

/// `podstack preflight`: are the stack's host ports free, and if not, who holds them.
struct PreflightCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight",
        abstract: "Check that every host port of the stack is free; name who holds a taken one and the ways out.",
        discussion: "Exit 0 when clear, 3 when up would refuse. Ports held by the stack's own pods are fine.")

    @Argument(help: "Pods to check (default: every pod of the stack).")
    var pods: [String] = []

    @OptionGroup var stack: StackOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Treat enabled-but-stopped units that would take a port at boot as conflicts.")
    var strict = false

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let host = context.host
            let definition = try stack.load(environment: host.environment)
            let selected = try StackRunner.select(pods, from: definition)
            // Connecting (libcurl's start-up and a ping) happens only when the host alone cannot decide.
            let connection = self.connection
            // A CDI spec too new for the Podman in use is skipped by it, so a stack that names CDI devices
            // asks Podman its version when it answers; devices are checked as the service's user.
            let podman =
                StackRunner.namesCDIDevices(selected) ? try? await connection.connect(host: host) : nil
            let devices = PodmanConnection.deviceChecker(explicitURL: connection.url, host: host, podman: podman)
            let result = try await StackRunner.preflight(selected, strict: strict, host: host, devices: devices) {
                if let podman { return podman }
                return try await connection.connect(host: host)
            }
            if let unreachable = result.podmanUnreachable {
                // The host can be checked without Podman (before it is even installed); only "ours" needs it.
                Console.error(
                    "warning: \(unreachable); checking the host alone, so ports of the stack's own pods show as taken.")
            }
            let report = result.report
            if output.json {
                try JSONOutput.print(report)
            } else {
                print(report.renderTable())
                let deviceTable = report.renderDeviceTable()
                if !deviceTable.isEmpty { print("\n" + deviceTable, terminator: "") }
                let waysOut = report.renderWaysOut()
                if !waysOut.isEmpty { print("\n" + waysOut) }
            }
            if report.refuses { throw ReportedOutcome.portsTaken }
        }
    }
}
