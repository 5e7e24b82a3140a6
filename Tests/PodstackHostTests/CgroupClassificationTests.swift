import Foundation
import Testing

@testable import PodstackHost

@Suite("Cgroup classification")
struct CgroupClassificationTests {
    static let containerID = "3f1c2e4b5a6978d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"

    @Test(
        "A cgroup path names the unit, container or plain process behind it",
        arguments: [
            ("/system.slice/ollama.service", HolderKind.systemUnit("ollama.service")),
            (
                "/system.slice/system-postgresql.slice/postgresql@15-main.service",
                .systemUnit("postgresql@15-main.service")
            ),
            ("/system.slice/qdrant.service/worker", .systemUnit("qdrant.service")),
            ("/podstack-test/system.slice/ollama.service", .systemUnit("ollama.service")),
            (
                "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service",
                .userUnit(uid: 1000, name: "foo.service")
            ),
            (
                "/user.slice/user-1000.slice/user@1000.service/ollama.service",
                .userUnit(uid: 1000, name: "ollama.service")
            ),
            ("/user.slice/user-1000.slice/user@1000.service/init.scope", .process),
            ("/user.slice/user-1000.slice/session-3.scope", .process),
            ("/machine.slice/libpod-\(containerID).scope", .podmanContainer(containerID)),
            ("/machine.slice/libpod-\(containerID).scope/container", .podmanContainer(containerID)),
            ("/machine.slice/libpod-conmon-\(containerID).scope", .podmanContainer(containerID)),
            ("/libpod_parent/libpod-\(containerID)", .podmanContainer(containerID)),
            (
                "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-\(containerID).scope",
                .podmanContainer(containerID)
            ),
            ("/system.slice/docker-\(containerID).scope", .process),
            ("/system.slice/libpod-notahexid.scope", .process),
            ("/", .process),
            ("/init.scope", .process),
        ])
    func classifies(path: String, expected: HolderKind) {
        #expect(CgroupClassifier.classify(path: path) == expected)
    }

    @Test(
        "The systemd line of /proc/PID/cgroup is found on v1, hybrid and v2 hosts",
        arguments: [
            ("12:pids:/\n1:name=systemd:/system.slice/ollama.service\n", "/system.slice/ollama.service"),
            (
                "9:name=systemd:/system.slice/qdrant.service\n4:memory:/other\n0::/system.slice/qdrant.service\n",
                "/system.slice/qdrant.service"
            ),
            (
                "0::/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service\n",
                "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service"
            ),
            ("3:cpu,cpuacct:/\n", nil),
            ("", nil),
        ])
    func findsSystemdLine(text: String, expected: String?) {
        #expect(CgroupClassifier.unitPath(fromProcCgroup: text) == expected)
    }

    @Test(
        "HolderKind encodes flat and decodes back",
        arguments: [
            HolderKind.systemUnit("ollama.service"), .userUnit(uid: 1000, name: "foo.service"),
            .podmanContainer(containerID), .process, .unknown,
        ])
    func roundTrips(kind: HolderKind) throws {
        let data = try JSONEncoder().encode(kind)
        #expect(try JSONDecoder().decode(HolderKind.self, from: data) == kind)
    }
}
