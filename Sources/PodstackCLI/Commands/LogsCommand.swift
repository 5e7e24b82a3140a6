import ArgumentParser
import Foundation
import PodmanAPI
import PodstackCompose
import PodstackCore

/// `podstack logs SERVICE`: a service's output, by its name in the stack.
struct LogsCommand: AsyncParsableCommand {
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

    func run() async throws {
        try await CommandErrors.reporting {
            let definition = try stack.load()
            let container = try Self.container(for: service, in: definition)
            let podman = try await connection.connect()
            let client = podman.client
            let (follow, tail) = (self.follow, self.tail)
            do {
                try await Interruption.run {
                    for try await line in client.logs(container, tail: tail, follow: follow) {
                        if line.stream == .stderr { Console.error(line.text) } else { print(line.text) }
                    }
                }
            } catch PodstackError.interrupted {
                return  // Ctrl-C is how a follow ends.
            } catch let error as PodmanError where error.isNotFound {
                throw PodstackError.unknownName(
                    kind: "running container for service", name: service,
                    known: [container + " does not exist; run podstack up"])
            } catch let error as PodmanError {
                throw PodstackError.from(error, during: "reading the log of \(container)")
            }
        }
    }

    static func container(for name: String, in stack: Stack) throws -> String {
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        let matches = stack.services.filter { service in
            parts.count == 2
                ? service.podName == parts[0] && service.name == parts[1]
                : service.name == name || service.containerName == name
        }
        guard matches.count == 1, let match = matches.first else {
            throw PodstackError.unknownName(
                kind: matches.isEmpty ? "service" : "unambiguous service (give POD/SERVICE)", name: name,
                known: stack.services.map { "\($0.podName)/\($0.name)" })
        }
        return match.containerName
    }
}
