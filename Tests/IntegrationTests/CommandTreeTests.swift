import ArgumentParser
import Foundation
import PodmanAPI
import PodstackCompose
import PodstackPreflight
import Testing

@testable import PodstackCLI
@testable import PodstackCore

/// The command tree in process, with no Podman: what parses, what a bad command line exits with, and that
/// every exit code the one mapping hands out is the README's.
@Suite("The command tree, in process")
struct CommandTreeTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The codes in README's exit-code table.
    static func documentedCodes() throws -> Set<Int32> {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let table = try #require(text.components(separatedBy: "## Exit codes").dropFirst().first)
        let rows = table.split(separator: "\n").prefix { !$0.hasPrefix("## ") }.filter { $0.hasPrefix("| ") }
        return Set(
            rows.flatMap { row in
                row.split(separator: "|").first.map { $0.split(separator: ",").compactMap { Int32($0.trimmed) } } ?? []
            })
    }

    static let errors: [PodstackError] = [
        .invalidStack(StackLoadError(issues: [])), .unknownName(kind: "pod", name: "x", known: []),
        .serviceNotCreated(service: "s", container: "p-s"),
        .podmanUnavailable(PodmanFailure(.invalidSocketURL("tcp://x"))), .rootfulRefused(socketPath: "/run/p.sock"),
        .preflightRefused(PreflightReport(stackName: "p", strict: false, rows: [], warnings: [])),
        .imagesUnavailable([]),
        .buildFailed(BuildProblem(image: "i", service: "p/s", reason: "r", step: nil, stepOutput: [])),
        .servicesFailed(StackRunReport(services: [])), .lockHeld(path: "/l", holderPID: 1),
        .interrupted(signal: SIGINT), .interrupted(signal: SIGTERM),
        .podman(PodmanFailure(.decoding(route: "GET /x", reason: "r", excerpt: "")), during: "x"),
        .nameTaken(kind: "pod", name: "p"), .nameHeldInStorage(name: "p-s"),
        .secretUnavailable(key: "k", problem: .variableNotSet(variable: "K")),
        .variableNotSet(name: "HOME", consequence: "c"),
        .hostFile(path: "/f", reason: "r"), .foreignContainers(pod: "p", names: ["mine"]),
    ]

    static let outcomes: [ReportedOutcome] = [
        .portsTaken, .migrationIncomplete, .migrationConflicts, .interrupted(signal: SIGINT),
        .interrupted(signal: SIGTERM),
    ]

    @Test("every exit code the mapping hands out is in README's table, and every code there is handed out")
    func codesAreDocumented() throws {
        let given = Set(Self.errors.map(CommandErrors.exitCode(for:)) + Self.outcomes.map(CommandErrors.exitCode(for:)))
        // 0 is success and 64 also comes from the argument parser; both are in the table.
        #expect(given.union([0]) == (try Self.documentedCodes()))
    }

    @Test("garbage from a Podman-like server is exit 69, a tcp:// or ssh:// URL is 64, and down's refusal is 8")
    func newCodes() {
        let garbage = PodmanFailure(.decoding(route: "GET /x", reason: "not JSON", excerpt: "<html>"))
        #expect(CommandErrors.exitCode(for: .podman(garbage, during: "listing")) == 69)
        #expect(CommandErrors.exitCode(for: .podmanUnavailable(PodmanFailure(.invalidSocketURL("ssh://h/s")))) == 64)
        #expect(CommandErrors.exitCode(for: .foreignContainers(pod: "p", names: ["mine"])) == 8)
    }

    @Test(
        "commands parse with their options",
        arguments: [
            ["up", "--wait-timeout", "5", "--strict", "ai"], ["down", "--volumes"], ["preflight", "--json"],
            ["ps"], ["logs", "ollama", "--tail", "3"], ["config"], ["info", "--url", "unix:///s"],
            ["kube", "--deployment"], ["migrate", "ollama"], ["up", "--build", "--parallel", "3"],
            ["build", "api", "--parallel", "1"],
        ])
    func parses(arguments: [String]) throws {
        let command = try PodstackCommand.parseAsRoot(arguments)
        #expect(type(of: command).configuration.commandName == arguments.first)
    }

    @Test("up's options land where they are read")
    func upOptions() throws {
        let up = try #require(
            try PodstackCommand.parseAsRoot(["up", "--wait-timeout", "5", "--strict", "ai"]) as? UpCommand)
        #expect(up.waitTimeout == 5 && up.strict && up.pods == ["ai"] && !up.skipPreflight)
    }

    @Test(
        "a bad command line exits 64",
        arguments: [
            ["nosuch"], ["up", "--wait-timeout", "soon"], ["logs"], ["migrate", "nosuch"],
            ["migrate", "--disable-units"], ["ps", "--no-such-flag"], ["up", "--parallel", "0"],
            ["build", "--parallel", "-1"],
        ])
    func badCommandLine(arguments: [String]) {
        do {
            _ = try PodstackCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(PodstackCommand.exitCode(for: error).rawValue == 64, "\(arguments): \(error)")
        }
    }

    @Test("config run in process exits 64 for an unknown pod and 65 for an invalid file")
    func configExitCodes() async throws {
        let directory = NSTemporaryDirectory() + "podstack-tree-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/compose.yml"
        try "name: tree\nservices:\n  a:\n    image: busybox\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await Self.exitCode(of: ["config", "--compose-dir", directory, "nope"]) == 64)
        #expect(try await Self.exitCode(of: ["config", "--compose-dir", directory, "--json"]) == 0)
        try "name: tree\nservices:\n  a:\n    imag: busybox\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await Self.exitCode(of: ["config", "--compose-dir", directory]) == 65)
    }

    @Test("the messages of the cases that replaced a sentence in a list and a \"$VAR\" path")
    func messages() {
        #expect(
            CommandErrors.message(for: .serviceNotCreated(service: "db", container: "p-db"))
                == "Error: service 'db' has no container yet: p-db does not exist. Run `podstack up` to create it."
        )
        let secret = CommandErrors.message(for: .secretUnavailable(key: "pw", problem: .variableNotSet(variable: "PW")))
        #expect(secret.contains("'pw'") && secret.contains("PW") && !secret.contains("$PW"))
        #expect(
            CommandErrors.message(
                for: .variableNotSet(name: "HOME", consequence: "there is no ~/.config/systemd/user; use --output"))
                == "Error: $HOME: is not set, so there is no ~/.config/systemd/user; use --output")
    }

    static func exitCode(of arguments: [String]) async throws -> Int32 {
        var command = try PodstackCommand.parseAsRoot(arguments)
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return PodstackCommand.exitCode(for: error).rawValue
        }
    }
}

extension Substring {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
