import ArgumentParser

/// Placeholder until its issue lands.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Not yet implemented.")

    func run() async throws {
        print("podstack migrate: not yet implemented")
        throw ExitCode(1)
    }
}
