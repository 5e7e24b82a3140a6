import Foundation
import PodmanAPI
import PodstackTestSupport
import Testing

/// `podstack kube --push` on the real bed: the built image goes to the bed's local registry and the YAML
/// names it there.
@Suite("kube --push", .enabled(if: TestBed.enabled))
struct KubePushIntegrationTests {
    @Test("kube --push builds the missing image, pushes it to the registry, and the YAML names the pushed image")
    func pushesBuiltImage() async throws {
        let registry = try #require(TestBed.environment["PODSTACK_TEST_REGISTRY"])
        let (stack, image) = try BuildUpIntegrationTests.builtStack(
            "kube-push", files: ["Containerfile": "FROM \(TestBed.genericImage)\n\(BuildIntegrationTests.ownChain)\nRUN echo pushed > /marker\n"])
        let pushed = "\(registry)/pstest/\(stack.pod)-built:latest"
        let podstack = try PodstackProcess()
        let client = try TestBed.client()
        try await withCleanup({
            for name in [image, pushed] { try? await client.removeImage(name, force: true) }
        }) {
            let kube = try await podstack.run(["kube", "--push", registry + "/pstest", "--compose-dir", stack.directory])
            #expect(kube.status == 0, "\(kube.output)")
            #expect(kube.stdout.contains("image: \"\(pushed)\"") || kube.stdout.contains("image: \(pushed)"), "\(kube.stdout)")
            #expect(!kube.stdout.contains(image + "\n"), "\(kube.stdout)")
            #expect(kube.stderr.contains("pushing \(image) to \(pushed)"), "\(kube.stderr)")
            // What the registry holds is the image built here: removed locally, pulled back, the same ID.
            let builtID = try await client.imageID(image + ":latest")
            // A push tags nothing locally: the local image is the only copy here.
            #expect(try await client.imageExists(pushed) == false)
            try await client.removeImage(image, force: true)
            for try await _ in client.pullImage(pushed) {}
            let pulledID = try await client.imageID(pushed)
            #expect(builtID != nil && pulledID == builtID)
        }
    }
}
