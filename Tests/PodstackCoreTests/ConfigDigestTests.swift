import Foundation
import PodstackCompose
import Testing

@testable import PodstackCore

@Suite("The config hash: what shapes the container, stable across releases")
struct ConfigDigestTests {
    typealias Fixtures = DigestFixtures

    @Test(
        "the hash of a fixture is pinned: a change here recreates every container after an upgrade",
        arguments: [
            (Fixtures.rich, "v2-a8312090b9880c69"), (Fixtures.bare, "v2-324f06b18ffdcd4"),
            (Fixtures.noHealth, "v2-94996c2a73ce0ee0"),
        ])
    func pinned(service: ServiceDefinition, hash: String) {
        #expect(ConfigDigest.service(service) == hash)
    }

    @Test(
        "the legacy digest is what release 0.1.0 wrote for the same service (pinned with its own code)",
        arguments: [
            (Fixtures.rich, "f23db1e464b066e3"), (Fixtures.bare, "2a4ba3877c8134cf"),
            (Fixtures.noHealth, "6d530f176ef8374f"),
        ])
    func legacyPinned(service: ServiceDefinition, hash: String) {
        #expect(LegacyConfigDigest.v1(service) == hash)
    }

    @Test("a service that sets nothing optional writes only the keys every container has")
    func absentValuesAreNotWritten() throws {
        let json = try ConfigDigest.canonicalJSON(ContainerFingerprint(Fixtures.bare))
        #expect(
            String(decoding: json, as: UTF8.self)
                == #"{"container":"shop-web","image":"nginx","pod":"shop","restart":"no","service":"web"}"#)
    }

    @Test("a container labelled by this release or by 0.1.0 from the same definition is up to date")
    func bothLabelsMatch() {
        for service in [Fixtures.rich, Fixtures.bare, Fixtures.noHealth] {
            #expect(ConfigDigest.matches(ConfigDigest.service(service), service))
            #expect(ConfigDigest.matches(LegacyConfigDigest.v1(service), service))
        }
        #expect(!ConfigDigest.matches(nil, Fixtures.bare))
    }

    @Test("a changed definition matches neither the new nor the legacy label of the old one")
    func changedDefinitionMatchesNothing() {
        var changed = Fixtures.rich
        changed.environment["TZ"] = "Europe/Berlin"
        #expect(!ConfigDigest.matches(ConfigDigest.service(Fixtures.rich), changed))
        #expect(!ConfigDigest.matches(LegacyConfigDigest.v1(Fixtures.rich), changed))
        var imageChanged = Fixtures.bare
        imageChanged.image = "nginx:1.27"
        #expect(!ConfigDigest.matches(LegacyConfigDigest.v1(Fixtures.bare), imageChanged))
    }

    @Test("what does not shape the container leaves the hash alone: locations, the image variable, depends_on")
    func outsideTheContainer() {
        var moved = Fixtures.rich
        moved.location = SourceLocation(file: "other.yml", line: 40, column: 1)
        moved.imageVariable = nil
        moved.dependsOn = []
        moved.ports = moved.ports.map { port in
            var port = port
            port.location = SourceLocation(file: "other.yml", line: 41, column: 7)
            return port
        }
        #expect(ConfigDigest.service(moved) == ConfigDigest.service(Fixtures.rich))
    }

    @Test("a device's location and reason leave the hash alone; its path does not")
    func deviceLocation() {
        func withDevice(_ path: String, line: Int) -> ServiceDefinition {
            var service = Fixtures.rich
            service.devices = [
                DeviceRequest(
                    path: path, isCDI: true, reason: "line \(line)",
                    location: SourceLocation(file: "a.yml", line: line, column: 5))
            ]
            return service
        }
        let first = ConfigDigest.service(withDevice("amd.com/gpu=0", line: 3))
        #expect(first == ConfigDigest.service(withDevice("amd.com/gpu=0", line: 9)))
        #expect(first != ConfigDigest.service(withDevice("amd.com/gpu=1", line: 3)))
    }

    @Test(
        "each setting that shapes the container changes the hash",
        arguments: [
            { (s: inout ServiceDefinition) in s.command = nil },
            { s in s.command = [] },
            { s in s.entrypoint = nil },
            { s in s.mounts.removeLast() },
            { s in s.healthcheck?.timeoutSeconds = 2.6 },
            { s in s.healthcheckDisabled = true },
            { s in s.restart = .always },
            { s in s.labels["tier"] = "front" },
            { s in s.user = nil },
            { s in s.workingDir = "/" },
            { s in s.stopSignal = "SIGTERM" },
            { s in s.stopGracePeriodSeconds = 31 },
            { s in s.secrets[0].mode = 0o440 },
            { s in s.profiles = ["prod"] },
            { s in s.containerName = "custom" },
            { s in s.process.tmpfs = [TmpfsMount(target: "/run")] },
            { s in s.process.tty = true },
            { s in s.process.stdinOpen = true },
            { s in s.process.initProcess = true },
            { s in s.process.capAdd = ["CAP_NET_ADMIN"] },
            { s in s.process.capDrop = ["CAP_CHOWN"] },
            { s in s.process.selinuxOptions = ["disable"] },
            { s in s.process.noNewPrivileges = true },
            { s in s.process.seccompUnconfined = true },
            { s in s.process.ulimits = [Ulimit(name: "nofile", soft: 1, hard: 2)] },
            { s in s.process.privileged = true },
            { s in s.process.readOnly = true },
            { s in s.process.groupAdd = ["wheel"] },
            { s in s.process.shmSizeBytes = 1 },
            { s in s.process.sysctls = ["kernel.msgmax": "1"] },
            { s in s.devices = [DeviceRequest(path: "nvidia.com/gpu=all", isCDI: true, reason: "", location: nil)] },
            { s in
                s.configs = [ConfigMount(source: "c", target: "/c", hostPath: "/d/c", written: WrittenFile(text: "a"))]
            },
        ] as [@Sendable (inout ServiceDefinition) -> Void])
    func shapingSettings(change: @Sendable (inout ServiceDefinition) -> Void) {
        var changed = Fixtures.rich
        change(&changed)
        #expect(ConfigDigest.service(changed) != ConfigDigest.service(Fixtures.rich))
    }

    @Test("a written config's text and mode change the hash: its bind mount alone would not show either change")
    func writtenConfigText() {
        func hash(_ text: String, mode: Int = 0o644) -> String {
            var service = Fixtures.rich
            service.configs = [
                ConfigMount(source: "c", target: "/c", hostPath: "/d/c", written: WrittenFile(text: text, mode: mode))
            ]
            return ConfigDigest.service(service)
        }
        #expect(hash("a") == hash("a"))
        #expect(hash("a") != hash("b"))
        #expect(hash("a") != hash("a", mode: 0o400))
    }

    @Test("the frozen key list is exactly what a fingerprint could hold in release 0.1.0")
    func frozenKeysCoverTheRichFixture() throws {
        var everything = Fixtures.rich
        everything.healthcheckDisabled = true
        let json = try ConfigDigest.canonicalJSON(ContainerFingerprint(everything))
        #expect(ContainerFingerprint.keyPaths(json: json) == ContainerFingerprint.keysOfV1)
    }

    @Test(
        "a fingerprint with a key 0.1.0 did not have cannot be vouched for by a legacy label",
        arguments: [
            (#"{"container":"c","devices":["/dev/fuse"]}"#, false),
            (#"{"container":"c","mounts":[{"kind":"bind","propagation":"rshared"}]}"#, false),
            (#"{"container":"c","environment":{"ANY_NAME":"x"},"labels":{"any.label":"y"}}"#, true),
            (#"{"container":"c","health":{"test":["NONE"],"retries":1}}"#, true),
        ])
    func keysBeyondV1(json: String, recognisable: Bool) {
        #expect(ContainerFingerprint.usesOnlyV1Keys(json: Data(json.utf8)) == recognisable)
    }
}
