import Foundation
import PodmanAPI
import PodstackTestSupport
import Testing

/// `podstack build` run as the bed's own user, whose Podman it drives: Podman 5 reads the context in place,
/// Podman 4 gets it streamed; either way the ignore file decides what the image holds.
@Suite("Build context read in place", .enabled(if: TestBed.enabled))
struct BuildInPlaceIntegrationTests {
    @Test("as the service's own user, Podman 5 reads the context in place and applies the ignore file; 4 streams it")
    func inPlace() async throws {
        let user = try #require(TestBed.environment["PODSTACK_TESTBED_USER"])
        let (stack, image) = try BuildUpIntegrationTests.builtStack(
            "build-in-place",
            files: [
                "Containerfile": "FROM \(TestBed.genericImage)\n\(BuildIntegrationTests.ownChain)\nCOPY . /ctx\n", ".dockerignore": "docs\n!docs/keep.md\n",
                "app.txt": "app\n", "docs/keep.md": "kept\n", "docs/drop.md": "dropped\n",
            ])
        // The bed's user reads the context itself: every directory on the way must be open to it.
        for directory in [stack.directory + "/context", stack.directory + "/context/docs"] { chmod(directory, 0o755) }
        let client = try TestBed.client()
        try await withCleanup({ try? await client.removeImage(image, force: true) }) {
            var status: Int32 = 0
            var text = ""
            // The binary copy may be busy for a moment after it is written (ETXTBSY, exit 126): try again.
            for attempt in 0..<5 {
                if attempt > 0 { try await Task.sleep(for: .milliseconds(300)) }
                let result = await (try ChildProcess(
                    "/usr/sbin/runuser",
                    [
                        "-u", user, "--", "/usr/bin/env", "HOME=/tmp", "CONTAINER_HOST=\(TestBed.url ?? "")",
                        PodstackProcess.binaryForOtherUsers, "build", "--compose-dir", stack.directory,
                    ])).finish(within: .seconds(300))
                (status, text) = (result.status, result.stdout + result.stderr)
                if !(status == 126 && text.contains("Text file busy")) { break }
            }
            #expect(status == 0, "\(text)")
            #expect(text.contains("(read in place by Podman)") == (TestBed.podmanMajor != "4"), "\(text)")
            let seen = try await BuildIntegrationTests.read(client, image: image, script: "ls -a /ctx /ctx/docs; true")
            #expect(seen.contains("app.txt") && seen.contains("keep.md"), "\(seen)")
            #expect(!seen.contains("drop.md"), "\(seen)")
        }
    }
}
