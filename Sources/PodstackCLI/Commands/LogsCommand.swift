import ArgumentParser
import Foundation
import PodstackCore

/// `podstack logs SERVICE`: a service's output, by its name in the stack.
struct LogsCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print a service's log (SERVICE or POD/SERVICE).")

    @Argument(help: "The service, as named in its compose file (ollama), or POD/SERVICE when two pods share a name.")
    var service: String

    @OptionGroup var stack: StackOptions
    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Keep printing new lines until the container exits (Ctrl-C stops).")
    var follow = false

    @Option(help: "Only the last N lines.")
    var tail: Int?

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let host = context.host
            let definition = try stack.load(environment: host.environment)
            let container = try ServiceLogs.container(for: service, in: definition)
            let podman = try await connection.connect(host: host)
            let (service, follow, tail) = (self.service, self.follow, self.tail)
            do {
                try await context.interruption.run {
                    try await ServiceLogs.read(
                        container, service: service, tail: tail, follow: follow, connection: podman
                    ) { line in
                        if line.isError { Console.error(line.text) } else { print(line.text) }
                    }
                }
            } catch PodstackError.interrupted {
                return  // Ctrl-C is how a follow ends.
            }
        }
    }
}
