import Foundation
import PodstackCompose
import Testing

/// The binary's own behaviour that needs no Podman: help, config, and the documented exit codes for input
/// it refuses before connecting.
@Suite("The command line without Podman")
struct CommandLineTests {
    static let composeDirectory = RealStackIntegrationTests.composeDirectory

    @Test("--help lists every command")
    func help() async throws {
        let result = try await PodstackProcess().run(["--help"])
        #expect(result.status == 0)
        for command in ["up", "down", "preflight", "ps", "logs", "config", "info"] {
            #expect(result.stdout.contains("  \(command) "), "\(command) in --help")
        }
    }

    @Test("config --json shows both pods, seven services and their ports; a variable moves a port")
    func configJSON() async throws {
        let plain = try await PodstackProcess().run(["config", "--compose-dir", Self.composeDirectory, "--json"])
        #expect(plain.status == 0, "\(plain.output)")
        let stack = try JSONDecoder().decode(Stack.self, from: Data(plain.stdout.utf8))
        #expect(stack.pods.map(\.name).sorted() == ["aidb", "local-ai"])
        #expect(stack.services.count == 7)
        #expect(Set(stack.pods.flatMap(\.hostPorts)) == [11434, 6333, 6334, 8081, 47334, 7735, 5432, 8000])
        let moved = try await PodstackProcess(extra: ["OLLAMA_PORT": "11435"]).run([
            "config", "--compose-dir", Self.composeDirectory, "--json",
        ])
        let movedStack = try JSONDecoder().decode(Stack.self, from: Data(moved.stdout.utf8))
        #expect(movedStack.pod(named: "local-ai")?.service(named: "ollama")?.ports.first?.hostPort == 11435)
    }

    @Test("PODSTACK_REQUEST_TIMEOUT that is not a whole number of seconds is a usage error (64) naming it")
    func requestTimeoutVariable() async throws {
        for value in ["soon", "0", "-5"] {
            let result = try await PodstackProcess(extra: ["PODSTACK_REQUEST_TIMEOUT": value]).run(["info"])
            #expect(result.status == 64, "\(value): \(result.output)")
            #expect(result.stderr.contains("PODSTACK_REQUEST_TIMEOUT='\(value)'"), "\(result.output)")
        }
        // The flag wins: the variable is not read, and the command goes on to the (missing) socket: 69, not 64.
        let flag = try await PodstackProcess(extra: ["PODSTACK_REQUEST_TIMEOUT": "soon"]).run([
            "info", "--request-timeout", "20", "--url", "unix:///var/empty/podstack-no-such.sock",
        ])
        #expect(flag.status == 69, "\(flag.output)")
    }

    @Test("an unknown pod is a usage error (64) that names the pods there are")
    func unknownPod() async throws {
        let result = try await PodstackProcess().run(["config", "--compose-dir", Self.composeDirectory, "nope"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("has no pod named 'nope'") && result.stderr.contains("local-ai"))
    }

    @Test("a socket that does not exist is exit 69 with the path and how to start Podman")
    func missingSocket() async throws {
        let result = try await PodstackProcess().run(["info", "--url", "unix:///nonexistent/podman.sock"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("/nonexistent/podman.sock"))
        #expect(result.stderr.contains("systemctl --user enable --now podman.socket"))
    }

    @Test(
        "a URL that is not a Unix socket is a bad command line (64) with what to give instead",
        arguments: ["tcp://127.0.0.1:8080", "ssh://user@host/run/podman/podman.sock"])
    func badURL(url: String) async throws {
        let result = try await PodstackProcess().run(["info", "--url", url])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unix:///"))
    }
}
