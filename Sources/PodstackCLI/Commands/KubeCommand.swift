import ArgumentParser

/// Placeholder until its issue lands.
struct KubeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kube", abstract: "Not yet implemented.")

    func run() async throws {
        print("podstack kube: not yet implemented")
        throw ExitCode(1)
    }
}
