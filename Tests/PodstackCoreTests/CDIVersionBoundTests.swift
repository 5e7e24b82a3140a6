import PodstackHost
import Testing

@testable import PodstackCore

@Suite("The newest CDI spec version preflight accepts, by the Podman it talks to")
struct CDIVersionBoundTests {
    @Test(
        "up to 4.3 reads 0.5.0, up to 5.4 at most 0.8.0 (both measured), newer or unreadable versions are left open",
        arguments: [
            ("4.3.1", "0.5.0"), ("4.0.0", "0.5.0"), ("3.4.4", "0.5.0"), ("4.4.0", "0.8.0"), ("4.9.3", "0.8.0"),
            ("5.0.0", "0.8.0"), ("5.4.2", "0.8.0"), ("5.4.2-dev", "0.8.0"), ("5.5.0", nil), ("6.0.0", nil),
            ("", nil), ("five", nil),
        ] as [(String, String?)])
    func bound(podman: String, newest: String?) {
        #expect(PodmanConnection.newestCDISpecVersion(podmanVersion: podman) == newest.flatMap(CDIVersion.init))
    }
}
