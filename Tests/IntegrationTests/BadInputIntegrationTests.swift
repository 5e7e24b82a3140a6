import Foundation
import PodmanAPI
import PodstackTestSupport
import Testing

/// The broken-file corpus of the loader's unit tests (PodstackTestSupport's BrokenFile.corpus), fed to
/// the real binary: each is refused with exit 65 and its file:line, and Podman is left as it was.
@Suite("Bad input through the command line", .enabled(if: TestBed.enabled))
struct BadInputIntegrationTests {
    @Test("every broken or hostile stack file is refused with exit 65 and its location; Podman state is unchanged")
    func corpusRefused() async throws {
        let client = try TestBed.client()
        // Every corpus file names its pod `p` (or fails before it has one); other tests run in parallel,
        // so the state compared is what this corpus could have made.
        func state() async throws -> [String] {
            let pods = try await client.listPods().map(\.name).filter { $0 == "p" }
            let containers = try await client.listContainers(labels: ["io.podstack.stack=p"]).map(\.name)
            let volumes = try await client.listVolumes(labels: ["io.podstack.stack=p"]).map(\.name)
            return pods + containers + volumes
        }
        let before = try await state()
        var refused = 0
        for broken in BrokenFile.corpus {
            let directory = try PodstackProcess.temporaryDirectory("bad")
            let file = directory + "/stack.yml"
            try broken.yaml.write(toFile: file, atomically: true, encoding: .utf8)
            let podstack = try PodstackProcess(extra: broken.environment)
            let up = try await podstack.run(["up", "-f", file], limit: .seconds(30))
            #expect(up.status == 65, "\(broken.name): \(up.output)")
            #expect(
                up.stderr.contains("stack.yml:\(broken.line):"), "\(broken.name) at line \(broken.line): \(up.stderr)")
            #expect(up.stderr.contains(broken.fragment), "\(broken.name): \(up.stderr)")
            #expect(up.stderr.contains("nothing was changed"))
            if up.status == 65 { refused += 1 }
        }
        #expect(try await state() == before)
        #expect(refused >= 40)
        print("bad input corpus: \(refused) files refused with exit 65")
    }
}
