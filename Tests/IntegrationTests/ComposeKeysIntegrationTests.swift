import Foundation
import PodstackTestSupport
import Testing

/// The compose keys real files use, brought up on the real rootless bed and checked from inside the
/// containers or with `podman inspect`.
@Suite("compose keys honoured on the real rootless service", .enabled(if: TestBed.enabled))
struct ComposeKeysIntegrationTests {
    static func podman(_ arguments: [String]) async throws -> String {
        let result = try await ExportTool.podman(arguments)
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a service reaches another as http://<service>:<port> and by its aliases; container_name, hostname, hosts and DNS are set")
    func namesAndAddressing() async throws {
        let stack = try ScratchStack("addr")
        let port = 18_431
        let clientName = "\(stack.pod)-front-door"
        let server =
            ScratchStack.service("server", internalPort: port)
            + "    networks:\n      shared:\n        aliases: [backend]\n"
        let client = ScratchStack.service(
            "client", mode: "sleep", dependsOn: [("server", "service_healthy")], health: false,
            extra: """
                    container_name: \(clientName)
                    hostname: box
                    networks: [shared]
                    links: ["server:api-server"]
                    extra_hosts: ["db.example:10.0.0.5"]
                    dns: [10.0.0.53]
                    dns_search: [example.org]
                    dns_opt: ["ndots:2"]

                """)
        try stack.write(server + client, extra: "networks:\n  shared: {}\n")
        let podstack = try PodstackProcess()
        defer { Task { _ = try? await podstack.run(["down", "--compose-dir", stack.directory]) } }
        let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
        try #require(up.status == 0, "\(up.output)")

        for name in ["server", "backend", "api-server"] {
            let answer = try await Self.podman(["exec", clientName, "wget", "-q", "-O-", "http://\(name):\(port)/health"])
            #expect(answer.contains("\"status\":\"ok\""), "http://\(name):\(port)/health gave: \(answer)")
        }
        #expect(try await Self.podman(["inspect", "--format", "{{.Name}}", clientName]) == clientName)
        #expect(try await Self.podman(["exec", clientName, "hostname"]) == "box")
        let hosts = try await Self.podman(["exec", clientName, "cat", "/etc/hosts"])
        #expect(hosts.contains("10.0.0.5") && hosts.contains("db.example"), "\(hosts)")
        let resolv = try await Self.podman(["exec", clientName, "cat", "/etc/resolv.conf"])
        #expect(resolv.contains("nameserver 10.0.0.53"), "\(resolv)")
        #expect(resolv.contains("example.org"), "\(resolv)")
        #expect(resolv.contains("ndots:2"), "\(resolv)")
        #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
    }
}
