import PodstackCompose
import Testing

@testable import PodstackCore

/// An external config reaches the container as a secret reference, which the fingerprint holds: the
/// service that mounts one is made anew when its name, target, owner or mode changes, and no other
/// service's hash moves (the pinned hashes of ConfigDigestTests).
@Suite("external configs in the fingerprint")
struct ExternalConfigFingerprintTests {
    @Test("mounting an external config, or another one, moves the hash of that service only")
    func moves() {
        let bare = DigestFixtures.bare
        var mounted = bare
        mounted.secrets = [SecretReference(source: "site_conf", target: "/etc/site.conf")]
        var renamed = mounted
        renamed.secrets = [SecretReference(source: "site_conf_v2", target: "/etc/site.conf")]
        var moded = mounted
        moded.secrets = [SecretReference(source: "site_conf", target: "/etc/site.conf", mode: 0o440)]
        let hashes = [bare, mounted, renamed, moded].map(ConfigDigest.service)
        #expect(Set(hashes).count == 4, "\(hashes)")
        #expect(hashes[0] == "v2-324f06b18ffdcd4", "a service without it keeps its pinned hash")
    }
}
