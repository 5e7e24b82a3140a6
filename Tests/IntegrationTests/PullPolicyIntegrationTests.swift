import Foundation
import PodmanAPI
import PodstackTestSupport
import Testing

/// `pull_policy` on the real bed, with an image of the bed's local registry that is this test's own (the
/// stand-in pushed under a unique name): other test runs pull and remove the shared one meanwhile.
@Suite("pull_policy", .enabled(if: TestBed.enabled))
struct PullPolicyIntegrationTests {
    @Test("never refuses a missing image before creating anything; always pulls each up; weekly pulls when due")
    func policies() async throws {
        let registry = try #require(TestBed.environment["PODSTACK_TEST_REGISTRY"])
        let reference = "\(registry)/pstest/\(TestBed.uniqueName("pull-policy")):latest"
        let client = try TestBed.client()
        try await client.pushImage(TestBed.genericImage, destination: reference)
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
