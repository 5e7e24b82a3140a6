import Foundation
import PodmanAPI
import Testing

@Suite("Podman versions podstack supports")
struct SupportedVersionTests {
    static func pingAnswer(version: String) -> String {
        "HTTP/1.1 200 OK\r\nLibpod-Api-Version: \(version)\r\nContent-Length: 2\r\n\r\nOK"
    }

    @Test("a service that names libpod API 3.4.4 is refused, and the error names 4.0.0 as the minimum")
    func olderRefused() async throws {
        let server = try ScriptedServer(script: [[.send(Self.pingAnswer(version: "3.4.4"))]])
        defer { server.stop() }
        let refusal = await #expect(throws: Podman.UnsupportedVersion.self) {
            _ = try await PodmanClient(socketPath: server.socketPath).pingSupported()
        }
        #expect(refusal?.version == "3.4.4")
        #expect(refusal?.minimum == Podman.LibpodVersion(4, 0, 0))
        #expect(refusal?.socketPath == server.socketPath)
    }

    @Test(
        "4.0.0, 4.3.1, 5.4.2 and a 5.0.0-dev build are accepted",
        arguments: ["4.0.0", "4.3.1", "5.4.2", "5.0.0-dev"])
    func supportedAccepted(version: String) async throws {
        let server = try ScriptedServer(script: [[.send(Self.pingAnswer(version: version))]])
        defer { server.stop() }
        let ping = try await PodmanClient(socketPath: server.socketPath).pingSupported()
        #expect(ping.libpodAPIVersion == version)
    }

    @Test("a version that is not a number is refused rather than guessed")
    func garbageRefused() async throws {
        let server = try ScriptedServer(script: [[.send(Self.pingAnswer(version: "unknown"))]])
        defer { server.stop() }
        await #expect(throws: Podman.UnsupportedVersion.self) {
            _ = try await PodmanClient(socketPath: server.socketPath).pingSupported()
        }
    }

    @Test("versions compare by number, not by text")
    func ordering() throws {
        let tenth = try #require(Podman.LibpodVersion("4.10.0"))
        let ninth = try #require(Podman.LibpodVersion("4.9.4-rhel"))
        #expect(ninth < tenth)
        #expect(Podman.LibpodVersion("5") == Podman.LibpodVersion(5, 0, 0))
        #expect(Podman.LibpodVersion("v5.0.0") == nil)
    }
}
