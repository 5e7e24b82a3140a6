import Foundation
import PodstackTestSupport
import Testing

/// `annotations:`, the key docs/adding-a-compose-key.md walks through, seen by Podman.
@Suite("annotations honoured on the real rootless service", .enabled(if: TestBed.enabled))
struct AnnotationIntegrationTests {
    @Test("a service's annotations show in podman inspect, in both of compose's forms")
    func annotations() async throws {
        let stack = try ScratchStack("annot")
        try stack.write(
            ScratchStack.service(
                "mapped", mode: "sleep", health: false, extra: "    annotations:\n      com.example.team: data\n")
                + ScratchStack.service(
                    "listed", mode: "sleep", health: false, extra: "    annotations: [\"com.example.tier=back=end\"]\n")
        )
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            for (service, key, value) in [
                ("mapped", "com.example.team", "data"), ("listed", "com.example.tier", "back=end"),
            ] {
                let inspected = try await ComposeKeysIntegrationTests.inspect("\(stack.pod)-\(service)")
                let config = try #require(inspected["Config"] as? [String: Any])
                let annotations = config["Annotations"] as? [String: String] ?? [:]
                #expect(annotations[key] == value, "\(service): \(annotations)")
            }
            #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
        }
    }
}
