import ArgumentParser
import PodstackCore

/// What a command runs with, made once at the program's entry point and passed down: the host it reads
/// (environment, effective uid) and the interruption that answers its signals. No command reads either
/// from the process itself.
struct CommandContext: Sendable {
    var host: HostContext
    var interruption: Interruption

    /// A context of the process as it is now, with an interruption no signal reaches until installed.
    static func current() -> CommandContext {
        CommandContext(host: .current, interruption: Interruption())
    }
}

/// A subcommand that runs in a `CommandContext`.
protocol ContextualCommand: AsyncParsableCommand {
    func run(in context: CommandContext) async throws
}

extension ContextualCommand {
    /// ArgumentParser's entry, taken only when a command runs in process without `PodstackCommand.run`
    /// (the command-tree tests): a context of its own, whose signals are not routed to it.
    func run() async throws { try await run(in: .current()) }
}

extension PodstackCommand {
    /// The program's entry: the context is made and SIGINT and SIGTERM are routed to its interruption
    /// before anything else happens, so that an interrupted run always ends the same way (exit 130/143,
    /// what was made kept). Then the command line is parsed and the command run in that context.
    public static func run() async {
        let context = CommandContext.current()
        context.interruption.installSignalHandlers()
        do {
            var command = try parseAsRoot()
            if let contextual = command as? any ContextualCommand {
                try await contextual.run(in: context)
            } else if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
