import ArgumentParser
import Foundation
import PodstackCore

/// `podstack build`: builds the images of services with `build:`, and nothing else.
struct BuildCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the images of the stack's services that have build:.",
        discussion:
            "Builds each named service's image (every service with build: when none is named), even when it is there. Creates no pod or container; the next `up` recreates a service whose image has a new ID. A failed build exits 9."
    )

    @Argument(help: "Services to build (default: every service with build:).")
    var services: [String] = []

    @OptionGroup var stack: StackOptions
    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var builds: BuildOptions

    @Option(help: "Seconds to wait for another podstack up/down to finish.")
    var lockTimeout: Int = 120

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let services = self.services
            let parallel = builds.parallel
            let built = try await ChangingRun(
                context: context, stack: stack, connection: connection, pods: [], lockTimeout: lockTimeout
            )
                .perform { runner, selected in try await runner.build(selected, services: services, parallel: parallel) }
            for image in built.keys.sorted() { print("\(image)\t\(built[image]?.prefix(12) ?? "")") }
        }
    }
}
