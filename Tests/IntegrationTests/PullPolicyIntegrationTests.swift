import Foundation
import PodmanAPI
import PodstackTestSupport
import Testing

/// `pull_policy` on the real bed, with an image of the bed's local registry that is this test's own (the
/// stand-in pushed under a unique name): other test runs pull and remove the shared one meanwhile.
@Suite("pull_policy", .enabled(if: TestBed.enabled))
struct PullPolicyIntegrationTests {
    /// The stand-in pushed to the bed's registry under a name of its own, which no other test pulls or
    /// removes; not in the local store.
    static func ownRegistryImage(_ base: String) async throws -> String {
        let registry = try #require(TestBed.environment["PODSTACK_TEST_REGISTRY"])
        let reference = "\(registry)/pstest/\(TestBed.uniqueName(base)):latest"
        try await TestBed.client().pushImage(TestBed.genericImage, destination: reference)
        return reference
    }

    @Test("never refuses a missing image before creating anything; always pulls each up; weekly pulls when due")
    func policies() async throws {
        let reference = try await Self.ownRegistryImage("pull-policy")
        let client = try TestBed.client()
        let state = try PodstackProcess.temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let podstack = try PodstackProcess(extra: ["XDG_STATE_HOME": state])
        let stack = try ScratchStack("pull-policy")
        func write(_ policy: String) throws {
            let service = ScratchStack.service("pulled", health: false, extra: "    pull_policy: \(policy)\n")
                .replacingOccurrences(of: TestBed.genericImage, with: reference)
            try stack.write(service)
        }
        try? await client.removeImage(reference, force: true)
        try await withCleanup({
            await podstack.down(stack.directory)
            try? await client.removeImage(reference, force: true)
        }) {
            try write("never")
            let never = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(never.status == 5, "\(never.output)")
            #expect(never.stderr.contains("pull_policy is never"), "\(never.stderr)")
            #expect(try await client.podExists(stack.pod) == false)
            #expect(try await client.imageExists(reference) == false)

            try write("always")
            let first = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(first.status == 0, "\(first.output)")
            let container = try await client.inspectContainer("\(stack.pod)-pulled").id
            let again = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(again.status == 0 && again.stderr.contains("pulling \(reference)"), "\(again.output)")
            #expect(try await client.inspectContainer("\(stack.pod)-pulled").id == container, "same image: kept")

            try write("weekly")
            let recent = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(recent.status == 0 && !recent.stderr.contains("pulling"), "pulled just now: \(recent.output)")
            // The record says the last pull was long ago: the next up asks the registry again.
            let records = try FileManager.default.contentsOfDirectory(atPath: state + "/podstack")
            #expect(records.count == 1, "\(records)")
            for name in records {
                try Data(#"{"\#(reference)": 0}"#.utf8).write(to: URL(fileURLWithPath: state + "/podstack/" + name))
            }
            let due = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(due.status == 0 && due.stderr.contains("pulling \(reference)"), "\(due.output)")
        }
    }
}
