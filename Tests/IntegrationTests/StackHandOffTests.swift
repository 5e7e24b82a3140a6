import ArgumentParser
import Foundation
import PodmanAPI
import Testing

@testable import PodstackCLI
@testable import PodstackCore

/// The command lines podstack writes for another process to run (a systemd unit, `migrate` under sudo),
/// and the advice it prints: in process, no Podman needed.
@Suite("The stack handed to another process, and what failures advise")
struct StackHandOffTests {
    /// A compose directory with one pod whose files carry no `name:`, plus its override file.
    static func stackDirectory() throws -> String {
        let directory = try PodstackProcess.temporaryDirectory("handoff")
        try "services:\n  web:\n    image: busybox\n".write(
            toFile: directory + "/compose.yaml", atomically: true, encoding: .utf8)
        try "services:\n  web:\n    command: [\"true\"]\n".write(
            toFile: directory + "/extra.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    @Test("a systemd unit's command lines keep -p, so a stack whose files name no project is the same pod")
    func systemdKeepsProjectName() throws {
        let directory = try Self.stackDirectory()
        let command = try #require(
            try PodstackCommand.parseAsRoot(["systemd", "-p", "shop", "-f", directory + "/compose.yaml"])
                as? SystemdCommand)
        let arguments = try command.stack.absoluteArguments(environment: ["HOME": "/nonexistent"])
        #expect(arguments == ["-f", directory + "/compose.yaml", "-p", "shop"])
        // COMPOSE_PROJECT_NAME is not in the unit's environment: it is carried as -p.
        let fromVariable = try #require(
            try PodstackCommand.parseAsRoot(["systemd", "-f", directory + "/compose.yaml"]) as? SystemdCommand)
        #expect(
            try fromVariable.stack.absoluteArguments(environment: ["COMPOSE_PROJECT_NAME": "shop"]).suffix(2)
                == ["-p", "shop"])
        #expect(!(try fromVariable.stack.absoluteArguments(environment: [:])).contains("-p"))
    }

    @Test("migrate's sudo command names every file of the project, not only the first")
    func migrateNamesEveryFile() throws {
        let directory = try Self.stackDirectory()
        let command = try #require(
            try PodstackCommand.parseAsRoot([
                "migrate", "-f", directory + "/compose.yaml", "-f", directory + "/extra.yaml", "-p", "shop",
            ]) as? MigrateCommand)
        let host = HostContext(environment: ["PATH": "/usr/bin"], effectiveUID: 1000)
        let sudo = try command.sudoRerunCommand(variables: ["PODSTACK_DATA_DIR": "/srv/data"], host: host)
        #expect(sudo.hasPrefix("sudo env PODSTACK_DATA_DIR=/srv/data "), "\(sudo)")
        #expect(
            sudo.hasSuffix(" migrate --execute -f \(directory)/compose.yaml -f \(directory)/extra.yaml -p shop"),
            "\(sudo)")
    }

    @Test("a request libcurl could not make says so, instead of asking to start the Podman service")
    func clientFailureHint() {
        let refused = PodmanError.TransportFailure.optionRefused(
            option: "CURLOPT_UNIX_SOCKET_PATH", code: 48, message: "unknown option")
        let failure = PodmanFailure(.transport(refused, socketPath: "/run/p.sock"))
        #expect(failure.remedy == PodmanFailure.Remedy.clientFailed)
        let hint = CommandErrors.podmanHint(failure)
        #expect(hint.contains("(libcurl) could not make the request") && !hint.contains("Start your"), "\(hint)")
        #expect(CommandErrors.podmanHint(PodmanFailure(.transport(.noCurlHandle, socketPath: "/run/p.sock"))) == hint)
        #expect(
            CommandErrors.podmanHint(PodmanFailure(.transport(.connectionRefused, socketPath: "/run/p.sock")))
                .contains("Start your user's Podman service"))
    }
}
