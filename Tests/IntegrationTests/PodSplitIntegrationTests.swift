import Foundation
import PodstackTestSupport
import Testing

/// A file whose services fall into groups that share no network, on the real rootless beds: one pod per
/// group, and the groups cannot reach each other, as compose means it.
@Suite("a file of two disconnected groups runs as two pods", .enabled(if: TestBed.enabled))
struct PodSplitIntegrationTests {
    /// podman's exit status and output, run on the bed.
    static func podman(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await ExportTool.podman(arguments)
        return (result.status, result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The pods of the bed whose names start with `prefix`.
    static func pods(named prefix: String) async throws -> Set<String> {
        let listing = try await podman(["pod", "ps", "--format", "{{.Name}}"]).output
        return Set(listing.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) })
    }

    @Test(
        "up <pod> brings up one group; up, both as two pods that cannot reach each other by name or localhost; down removes both and no other project's"
    )
    func twoGroupsTwoPods() async throws {
        let stack = try ScratchStack("split")
        let port = 18_733
        try stack.write(
            ScratchStack.service("web", internalPort: port, extra: "    networks: [back]\n")
                + ScratchStack.service("client", mode: "sleep", health: false),
            extra: "networks:\n  back: {}\n")
        let back = "\(stack.pod)-back"
        // Another project, whose pod's name starts like the split's: down of the split must leave it.
        let neighbour = "\(stack.pod)-neighbour"
        let neighbourDirectory = try PodstackProcess.temporaryDirectory("compose")
        try ("name: \(neighbour)\nservices:\n" + ScratchStack.service("idle", mode: "sleep", health: false))
            .write(toFile: neighbourDirectory + "/\(neighbour).yml", atomically: true, encoding: .utf8)
        let podstack = try PodstackProcess()
        let cleanup = {
            await podstack.down(stack.directory)
            await podstack.down(neighbourDirectory)
        }
        try await withCleanup(cleanup) {
            let other = try await podstack.run(["up", "--compose-dir", neighbourDirectory], limit: .seconds(90))
            try #require(other.status == 0, "\(other.output)")
            let preflight = try await podstack.run(
                ["preflight", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(preflight.status == 0, "\(preflight.output)")
            let one = try await podstack.run(["up", "--compose-dir", stack.directory, back], limit: .seconds(90))
            try #require(one.status == 0, "\(one.output)")
            #expect(try await Self.pods(named: stack.pod) == [back, neighbour])
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            #expect(try await Self.pods(named: stack.pod) == [stack.pod, back, neighbour])
            let web = "\(stack.pod)-web"
            let client = "\(stack.pod)-client"
            // Inside its own pod, web answers by its name and on localhost: the misses below are the split's.
            for host in ["web", "127.0.0.1"] {
                let own = try await Self.podman(["exec", web, "wget", "-q", "-O-", "http://\(host):\(port)/health"])
                #expect(own.status == 0 && own.output.contains("ok"), "\(own.output)")
                let other = try await Self.podman(
                    ["exec", client, "wget", "-q", "-O-", "http://\(host):\(port)/health"])
                #expect(other.status != 0, "client reached web at \(host): \(other.output)")
            }
            let ps = try await podstack.run(["ps", "--compose-dir", stack.directory])
            #expect(ps.stdout.contains(web) && ps.stdout.contains(client), "\(ps.stdout)")
            #expect(try await podstack.run(["logs", "--compose-dir", stack.directory, "web"]).status == 0)

            let down = try await podstack.run(["down", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(down.status == 0, "\(down.output)")
            #expect(try await Self.pods(named: stack.pod) == [neighbour])
        }
    }
}
