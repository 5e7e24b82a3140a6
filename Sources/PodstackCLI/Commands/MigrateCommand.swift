import ArgumentParser
import Foundation
import PodstackCompose
import PodstackCore
import PodstackHost
import PodstackMigrate
import PodstackPreflight
import Synchronization

/// `podstack migrate`: copies the data of system units (ollama.service, qdrant.service, ...) into the
/// stack's data directories, so that the units can be retired and the stack run as the user.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract:
            "Copy the data of the stack's system units into its data directories, verified, then retire the units.",
        discussion: """
            Without --execute it only shows the plan. With it: copies (never moves or deletes the source), resumably, \
            verifying every file by SHA-256; prints the `sudo systemctl disable --now` commands (runs them only with \
            --disable-units); then runs the preflight. Exit 0 done and ports free; 3 copied but a port is still taken; \
            6 incomplete (unreadable files, a running database unit, a failed file): nothing lost, rerun to continue; \
            7 the destination holds different data (nothing written for that service; --overwrite replaces it); \
            130/143 interrupted: rerun to continue.
            """)

    @Argument(help: "Services to migrate: ollama, qdrant, open-webui, mindsdb, postgres (default: every one found).")
    var services: [String] = []

    @Flag(help: "Migrate from the system units (the only source so far, and the default).")
    var fromSystem = false

    @Option(
        help: ArgumentHelp(
            "Treat DIR as the host's root directory (an old system disk mounted elsewhere).", valueName: "dir"))
    var root: String = "/"

    @Flag(help: "Copy and verify. Without it, only the plan is shown.")
    var execute = false

    @Flag(help: "Replace destination files that differ from the source (otherwise refused).")
    var overwrite = false

    @Flag(
        help:
            "Run `sudo systemctl disable --now` for each unit whose data was copied in full (and, before copying, for running database units)."
    )
    var disableUnits = false

    @Flag(help: "Copy a database's data although its unit is running (the copy may be torn).")
    var allowRunning = false

    @OptionGroup var stack: StackOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        let known = Set(MigratableService.allCases.map(\.rawValue))
        if let unknown = services.first(where: { !known.contains($0) }) {
            throw ValidationError(
                "no service '\(unknown)' to migrate; choose from \(known.sorted().joined(separator: ", ")).")
        }
        if disableUnits && !execute {
            throw ValidationError("--disable-units needs --execute: units are retired only after their data is copied.")
        }
        if disableUnits && RootedPath(root: root).root != "" {
            throw ValidationError(
                "--disable-units acts on this host's units; the units under --root \(root) are not running here.")
        }
    }

    func run() async throws {
        try await CommandErrors.reporting {
            let host = HostContext.current
            let (definition, variables) = try stack.loadWithVariables(environment: host.environment)
            let only = services.isEmpty ? nil : Set(services.compactMap(MigratableService.init(rawValue:)))
            let planner = MigrationPlanner(root: root, stack: definition)
            var plan = planner.plan(only: only)
            let rerun = sudoRerunCommand(definition, variables: variables, host: host)
            guard execute else { return try show(plan, rerun: rerun, host: host) }
            if !output.json { print(MigrationRendering.plan(plan, executing: true) + "\n") }
            if disableUnits {
                let mustStop = plan.ready.flatMap(\.runningUnitsThatMustStop)
                if !mustStop.isEmpty {
                    try disable(mustStop)
                    plan = planner.plan(only: only)
                }
            }
            let outcome = try await copy(plan, host: host)
            let disableCommands = MigrationRendering.disableCommands(plan, complete: outcome.completeServices)
            if !output.json {
                printOutcome(outcome, plan: plan, rerun: rerun, disableCommands: disableCommands, host: host)
            }
            if disableUnits {
                try disable(
                    plan.services.filter { outcome.completeServices.contains($0.kind.rawValue) }.flatMap(\.units).map(
                        \.name))
            }
            let (report, note) = try await preflight(definition, host: host)
            if output.json {
                try JSONOutput.print(
                    MigrateResult(
                        plan: plan, outcome: outcome, disableCommands: disableCommands, preflight: report,
                        preflightNote: note))
            } else {
                print("\nPreflight" + (note.map { " (\($0))" } ?? "") + ":\n" + report.renderTable())
                let waysOut = report.renderWaysOut()
                if report.refuses && !waysOut.isEmpty { print("\n" + waysOut) }
            }
            if outcome.hasConflicts { throw ReportedOutcome.migrationConflicts }
            if !outcome.isComplete { throw ReportedOutcome.migrationIncomplete }
            if report.refuses { throw ReportedOutcome.portsTaken }
        }
    }

    /// Without --execute: the plan, the commands it takes, and what to do about unreadable sources.
    private func show(_ plan: MigrationPlan, rerun: String, host: HostContext) throws {
        if output.json { return try JSONOutput.print(plan) }
        print(MigrationRendering.plan(plan, executing: false))
        guard !plan.services.isEmpty else { return }
        print("\n" + MigrationRendering.commands(plan, migrateCommand: migrateCommand))
        if !plan.unreadableSources.isEmpty { print("\n" + unreadableAdvice(plan, rerun: rerun, host: host)) }
    }

    /// Copies and verifies under signal handling; a signal ends the command saying how to continue.
    private func copy(_ plan: MigrationPlan, host: HostContext) async throws -> MigrationOutcome {
        let executor = MigrationExecutor(
            options: CopyOptions(
                overwrite: overwrite, owner: Self.sudoOwner(host), progress: MigrationProgressPrinter().report),
            allowRunning: allowRunning)
        do {
            return try await Interruption.run { [plan] in try executor.execute(plan) }
        } catch PodstackError.interrupted(let signalNumber) {
            Console.error(
                "\npodstack: interrupted. Whole files are in place; a partial one is kept under a .podstack-partial name. "
                    + "Rerun the same command to continue; the sources were not touched.")
            throw ReportedOutcome.interrupted(signal: signalNumber)
        }
    }

    private func printOutcome(
        _ outcome: MigrationOutcome, plan: MigrationPlan, rerun: String, disableCommands: [String], host: HostContext
    ) {
        print(MigrationRendering.outcome(outcome))
        if !outcome.reports.allSatisfy({ $0.unreadable.isEmpty }) {
            print("\n" + unreadableAdvice(plan, rerun: rerun, host: host))
        }
        if !disableCommands.isEmpty && !disableUnits {
            print(
                "\nThe data is safe in the stack's directories. Retire the system units (podstack runs sudo only with --disable-units):"
            )
            disableCommands.forEach { print("  " + $0) }
        }
    }

    /// The command as typed, for the plan's list of commands.
    private var migrateCommand: String {
        var words = ["podstack", "migrate"] + services
        if !RootedPath(root: root).root.isEmpty { words += ["--root", root] }
        if let composeDir = stack.composeDir { words += ["--compose-dir", composeDir] }
        words += stack.files.flatMap { ["-f", $0] } + stack.envFile.flatMap { ["--env-file", $0] }
        words += stack.profile.flatMap { ["--profile", $0] }
        return words.map(Self.shellQuoted).joined(separator: " ")
    }

    /// The copy step as root: the data directory and compose files spelled out, because sudo resets HOME
    /// and the environment, and the executable by its full path, because sudo's PATH may not have it.
    private func sudoRerunCommand(_ definition: Stack, variables: [String: String], host: HostContext) -> String {
        var words = ["sudo", "env"]
        if let dataDirectory = variables["PODSTACK_DATA_DIR"] { words.append("PODSTACK_DATA_DIR=\(dataDirectory)") }
        words += [Self.executablePath(environment: host.environment), "migrate", "--execute"] + services
        if !RootedPath(root: root).root.isEmpty { words += ["--root", root] }
        words += definition.pods.flatMap { ["-f", $0.sourceFile] }
        words += stack.envFile.flatMap { ["--env-file", URL(fileURLWithPath: $0).standardizedFileURL.path] }
        words += stack.profile.flatMap { ["--profile", $0] }
        if overwrite { words.append("--overwrite") }
        return words.map(Self.shellQuoted).joined(separator: " ")
    }

    private func unreadableAdvice(_ plan: MigrationPlan, rerun: String, host: HostContext) -> String {
        let paths = RootedPath(root: root)
        let sources = plan.unreadableSources.isEmpty ? plan.ready.compactMap(\.source) : plan.unreadableSources
        let user =
            host.environment["SUDO_USER"] ?? host.environment["USER"] ?? "$USER"
        return MigrationAdvice.unreadable(sources: sources.map { paths.root + $0 }, user: user, rerun: rerun)
    }

    /// The only place podstack runs sudo, and only under --disable-units; its prompt goes to the terminal.
    private func disable(_ units: [String]) throws {
        for unit in units {
            Console.error("running: sudo systemctl disable --now \(unit)")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sudo", "systemctl", "disable", "--now", unit]
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                Console.error(
                    "podstack: `sudo systemctl disable --now \(unit)` exited \(process.terminationStatus); the copied data is kept."
                )
                throw ReportedOutcome.migrationIncomplete
            }
        }
    }

    /// As PreflightCommand does; when Podman is needed and cannot be reached, the ports are still checked,
    /// without its list of published ports (so a port of the user's own pods would show as taken).
    private func preflight(_ definition: Stack, host: HostContext) async throws -> (PreflightReport, String?) {
        let connection = self.connection
        let result = try await StackRunner.preflight(definition.pods, strict: false) {
            try await connection.connect(host: host)
        }
        let note = result.podmanUnreachable.map {
            "Podman is not reachable (\($0)); checked without its list of published ports"
        }
        return (result.report, note)
    }

    static func sudoOwner(_ host: HostContext) -> FileOwner? {
        guard host.isRoot, let uid = host.environment["SUDO_UID"].flatMap(UInt32.init),
            let gid = host.environment["SUDO_GID"].flatMap(UInt32.init)
        else { return nil }
        return FileOwner(uid: uid, gid: gid)
    }

    static func executablePath(environment: [String: String]) -> String {
        let first = CommandLine.arguments.first ?? "podstack"
        if first.contains("/") { return URL(fileURLWithPath: first).standardizedFileURL.path }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(first)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return first
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "/._-=:@,+".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// `--execute --json`: everything in one document.
struct MigrateResult: Encodable {
    var plan: MigrationPlan
    var outcome: MigrationOutcome
    var disableCommands: [String]
    var preflight: PreflightReport
    var preflightNote: String?
}

/// Bytes and files on stderr: one updating line on a terminal, a line every few seconds elsewhere.
final class MigrationProgressPrinter: Sendable {
    private let lastPrinted = Mutex<(service: String, at: ContinuousClock.Instant)?>(nil)
    private let terminal = Console.stderrIsTerminal

    var report: @Sendable (CopyProgress) -> Void {
        { [self] progress in handle(progress) }
    }

    private func handle(_ progress: CopyProgress) {
        let now = ContinuousClock.now
        let done = progress.filesDone == progress.filesTotal
        let due = lastPrinted.withLock { last -> Bool in
            let interval: Duration = terminal ? .milliseconds(200) : .seconds(5)
            guard done || last == nil || last?.service != progress.service || now - (last?.at ?? now) >= interval else {
                return false
            }
            last = (progress.service, now)
            return true
        }
        guard due else { return }
        let line =
            "\(progress.service): \(MigrationRendering.bytes(progress.bytesDone)) of \(MigrationRendering.bytes(progress.bytesTotal)), "
            + "\(progress.filesDone) of \(progress.filesTotal) files"
        if terminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (done ? "\n" : "")).utf8))
        } else {
            Console.error(line)
        }
    }
}
