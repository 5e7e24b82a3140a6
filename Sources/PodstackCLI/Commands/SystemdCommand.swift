import ArgumentParser

/// Placeholder until its issue lands.
struct SystemdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "systemd", abstract: "Not yet implemented.")

    func run() async throws {
        print("podstack systemd: not yet implemented")
        throw ExitCode(1)
    }
}
