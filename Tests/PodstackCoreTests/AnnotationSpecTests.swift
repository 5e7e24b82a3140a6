import PodstackCompose
import Testing

@testable import PodstackCore

/// `annotations:`, the key docs/adding-a-compose-key.md walks through: the spec and the fingerprint.
@Suite("annotations: on the create spec and in the config hash")
struct AnnotationSpecTests {
    @Test("a service's annotations reach the create spec beside those security_opt writes; none are sent otherwise")
    func onTheSpec() {
        var pod = PodSpecTests.pod()
        pod.services[0].annotations = ["com.example.team": "data", "io.podman.annotations.label": "mine"]
        pod.services[0].process.selinuxOptions = ["disable"]
        let spec = ContainerSpecBuilder.container(pod.services[0], in: pod)
        #expect(spec.annotations == ["com.example.team": "data", "io.podman.annotations.label": "disable"])
        #expect(ContainerSpecBuilder.container(pod.services[1], in: pod).annotations == nil)
    }

    @Test("annotations move the config hash only of a service that sets them, with no edit of the fingerprint")
    func inTheHash() throws {
        var annotated = DigestFixtures.bare
        annotated.annotations = ["com.example.team": "data"]
        #expect(ConfigDigest.service(annotated) != ConfigDigest.service(DigestFixtures.bare))
        let json = String(decoding: try ConfigDigest.canonicalJSON(ContainerFingerprint(annotated)), as: UTF8.self)
        #expect(json.contains(#""annotations":{"com.example.team":"data"}"#), "\(json)")
        // 0.1.0 could not set annotations: its label cannot vouch for such a container.
        #expect(!ConfigDigest.matches(LegacyConfigDigest.v1(annotated), annotated))
    }
}
