import ArgumentParser
import Foundation
import PodstackCore

/// `podstack up`: preflight, images, pods, then services in dependency order.
struct UpCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Create and start the stack's pods; each service starts when its dependencies are ready.",
        discussion:
            "Runs the preflight first and changes nothing if a port is taken. A second `up` with nothing changed changes nothing."
    )

    @Argument(help: "Pods to bring up (default: every pod of the stack).")
    var pods: [String] = []

    @OptionGroup var stack: StackOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Seconds each service may take to become ready (healthy or completed).")
    var waitTimeout: Int = 600

    @Flag(help: "Do not check ports first (a taken port then fails at start, after pods exist).")
    var skipPreflight = false

    @Flag(help: "Treat enabled-but-stopped units that would take a port as conflicts.")
    var strict = false

    @Flag(help: "Build every image that has build: again, even when it is there.")
    var build = false

    @OptionGroup var builds: BuildOptions

    @Option(help: "Seconds to wait for another podstack up/down to finish.")
    var lockTimeout: Int = 120

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            var upOptions = UpOptions(
                waitTimeout: .seconds(waitTimeout), skipPreflight: skipPreflight, strictPreflight: strict)
            upOptions.build = build
            upOptions.parallelBuilds = builds.parallel
            let options = upOptions
            let report: StackRunReport
            do {
                report = try await ChangingRun(
                    context: context, stack: stack, connection: connection, pods: pods, lockTimeout: lockTimeout
                )
                .perform { runner, selected in try await runner.up(selected, options: options) }
            } catch PodstackError.servicesFailed(let failed) where output.json {
                // A script asked for JSON: it gets the report on stdout whatever the outcome; the exit code says 4.
                try JSONOutput.print(failed)
                throw PodstackError.servicesFailed(failed)
            }
            if output.json {
                try JSONOutput.print(report)
            } else {
                print(RunReportText.table(report))
            }
        }
    }
}
