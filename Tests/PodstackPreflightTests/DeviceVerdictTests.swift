import Foundation
import Glibc
import PodstackHost
import PodstackTestSupport
import Testing

@testable import PodstackPreflight

/// A recorded host with GPU nodes, groups and CDI specs. Device nodes are made with mknod(2), which needs
/// root: the suite runs only as root (as CI and the test bed do).
enum GPUHostFixture {
    static let alice = DeviceChecker.User(uid: 1000, name: "alice", primaryGID: 1000)

    static func make(aliceGroups: String = "alice") throws -> RecordedTree {
        let tree = try RecordedTree()
        try tree.write("/etc/passwd", "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n")
        try tree.write(
            "/etc/group",
            "root:x:0:\nvideo:x:44:\(aliceGroups.contains("video") ? "alice" : "")\n"
                + "render:x:105:\(aliceGroups.contains("render") ? "alice" : "")\nalice:x:1000:\n")
        try node(tree, "/dev/dri/card0", mode: 0o660, gid: 44)
        try node(tree, "/dev/dri/renderD128", mode: 0o660, gid: 105)
        try node(tree, "/dev/nvidia0", mode: 0o666, gid: 0)
        try node(tree, "/dev/alice-gpu", mode: 0o660, gid: 1000)
        try node(tree, "/dev/nvidiactl", mode: 0o666, gid: 0)
        try tree.write("/usr/lib/libcuda.so.550", "driver")
        try tree.write(
            "/etc/cdi/nvidia.yaml",
            """
            cdiVersion: "0.5.0"
            kind: nvidia.com/gpu
            devices:
              - name: "0"
                containerEdits:
                  deviceNodes: [{path: /dev/nvidia0}]
              - name: all
                containerEdits:
                  deviceNodes: [{path: /dev/nvidia0}]
              - name: "1"
                containerEdits:
                  deviceNodes: [{path: /dev/nvidia1}]
            containerEdits:
              deviceNodes: [{path: /dev/nvidiactl}]
              mounts: [{hostPath: /usr/lib/libcuda.so.550, containerPath: /usr/lib/libcuda.so.550}]

            """)
        try tree.write(
            "/etc/cdi/amd-0.yaml",
            "cdiVersion: 0.5.0\nkind: amd.com/gpu\ndevices:\n  - name: \"0\"\n"
                + "    containerEdits:\n      deviceNodes: [{path: /dev/dri/renderD128}]\n")
        try tree.write(
            "/var/run/cdi/amd.json",
            #"{"cdiVersion":"0.5.0","kind":"amd.com/gpu","devices":[{"name":"all","containerEdits":{"#
                + #""mounts":[{"hostPath":"/opt/rocm-6.0/lib/libamdhip64.so","containerPath":"/opt/rocm/lib/libamdhip64.so"}]}}]}"#
        )
        return tree
    }

    static func node(_ tree: RecordedTree, _ inside: String, mode: mode_t, gid: gid_t) throws {
        try tree.directory((inside as NSString).deletingLastPathComponent)
        let path = tree.path(inside)
        guard mknod(path, S_IFCHR | mode, dev_t((1 << 8) | 3)) == 0, chmod(path, mode) == 0, chown(path, 0, gid) == 0
        else {
            throw RecordedTreeError.cannotCreate(path)
        }
    }

    static func check(
        _ tree: RecordedTree, _ device: String, user: DeviceChecker.User = alice
    ) -> PreflightReport.DeviceRow? {
        let checker = DeviceChecker(root: tree.root, newestSpecVersion: CDIVersion("0.5.0"), user: user)
        return checker.check([DeviceClaim(pod: "local-ai", service: "ollama", device: device)]).first
    }
}

@Suite("Device verdicts on a recorded host", .enabled(if: geteuid() == 0, "device nodes need mknod, which needs root"))
struct DeviceVerdictTests {
    typealias Fixture = GPUHostFixture

    @Test(
        "each requested device gets the verdict Podman's outcome calls for, and the command that gets out of it",
        arguments: [
            ("nvidia.com/gpu=0", "alice", "available", nil),
            ("nvidia.com/gpu=all", "alice", "available", nil),
            ("nvidia.com/gpu=1", "alice", "stale-spec", "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml"),
            (
                "nvidia.com/gpu=2", "alice", "no-such-device",
                "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml"
            ),
            ("amd.com/gpu=all", "alice", "stale-spec", "sudo amd-ctk cdi generate --output=/etc/cdi/amd.json"),
            ("amd.com/gpu=1", "alice", "no-such-device", "sudo amd-ctk cdi generate --output=/etc/cdi/amd.json"),
            ("amd.com/gpu=0", "alice,render", "needs-keep-groups", "podman info --format '{{.Host.OCIRuntime.Name}}'"),
            ("amd.com/gpu=0", "alice", "not-permitted", "sudo usermod -aG render,video $USER"),
            ("intel.com/gpu=0", "alice", "no-spec", "ls -l /etc/cdi /var/run/cdi"),
            ("nvidia.com/g!pu=0", "alice", "invalid-name", nil),
            ("/dev/dri", "alice,video,render", "needs-keep-groups", "podman info --format '{{.Host.OCIRuntime.Name}}'"),
            ("/dev/nvidia0", "alice", "available", nil),
            ("/dev/alice-gpu", "alice", "available", nil),
            ("/dev/dri", "alice,video", "not-permitted", "sudo usermod -aG render,video $USER"),
            ("/dev/dri/card0", "alice,video", "needs-keep-groups", "podman info --format '{{.Host.OCIRuntime.Name}}'"),
            ("/dev/kfd", "alice,video,render", "missing-node", "ls -l /dev/dri /dev/kfd /dev/nvidia*"),
        ] as [(String, String, String, String?)])
    func verdicts(device: String, groups: String, verdict: String, command: String?) throws {
        let tree = try Fixture.make(aliceGroups: groups)
        let row = try #require(Fixture.check(tree, device))
        #expect(row.verdict.name == verdict)
        #expect(row.verdict.refuses == !["available", "needs-keep-groups"].contains(verdict))
        #expect(row.waysOut.compactMap(\.command).first == command)
        #expect((row.problemSentence == nil) == (verdict == "available"))
    }

    @Test("a stale spec names every file that is gone: the device's node and the driver library")
    func staleSpecNamesMissingFiles() throws {
        let tree = try Fixture.make()
        try FileManager.default.removeItem(atPath: tree.path("/usr/lib/libcuda.so.550"))
        let row = try #require(Fixture.check(tree, "nvidia.com/gpu=0"))
        #expect(row.verdict == .staleSpec(file: "/etc/cdi/nvidia.yaml", missing: ["/usr/lib/libcuda.so.550"]))
    }

    @Test("a group in /etc/group that the session does not have yet is told, with newgrp as the way out")
    func sessionWithoutGroup() throws {
        let tree = try Fixture.make(aliceGroups: "alice,video,render")
        var user = Fixture.alice
        user.sessionGIDs = [1000, 44]
        let row = try #require(Fixture.check(tree, "/dev/dri/renderD128", user: user))
        #expect(row.verdict == .notPermitted(node: "/dev/dri/renderD128", group: "render", sessionLacksGroup: true))
        #expect(row.waysOut.map(\.command) == ["newgrp render"])
    }

    @Test("root opens every node, whatever its mode")
    func rootOpensEverything() throws {
        let tree = try Fixture.make(aliceGroups: "")
        let root = DeviceChecker.User(uid: 0, name: "root", primaryGID: 0)
        #expect(Fixture.check(tree, "/dev/dri", user: root)?.verdict == .available(source: "/dev/dri"))
    }

    @Test("a refused device makes the report refuse, and its JSON row is flat with the reason and ways out")
    func reportCarriesDevices() throws {
        let tree = try Fixture.make()
        var report = PreflightReport(stackName: "local-ai", strict: false, rows: [], warnings: [])
        #expect(!report.refuses)
        report.devices = DeviceChecker(root: tree.root, user: Fixture.alice).check([
            DeviceClaim(pod: "local-ai", service: "ollama", device: "nvidia.com/gpu=0"),
            DeviceClaim(pod: "local-ai", service: "ollama", device: "example.com/gpu=fake0"),
        ])
        #expect(report.refuses)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        let rows = try #require(json?["devices"] as? [[String: Any]])
        #expect(rows.map { $0["verdict"] as? String } == ["available", "no-spec"])
        #expect(rows[0]["specFile"] as? String == "/etc/cdi/nvidia.yaml")
        #expect((rows[1]["reason"] as? String)?.contains("no CDI spec in /etc/cdi or /var/run/cdi") == true)
        #expect((rows[1]["waysOut"] as? [[String: Any]])?.first?["action"] as? String == "generateSpec")
        #expect(
            report.renderDeviceTable() == """
                SERVICE  DEVICE                 VERDICT
                ollama   nvidia.com/gpu=0       available
                ollama   example.com/gpu=fake0  no-spec

                """)
        #expect(report.renderWaysOut().hasPrefix("device example.com/gpu=fake0 (ollama): no CDI spec"))
    }
}

@Suite("Device verdicts on this host, as its own user")
struct OwnHostDeviceTests {
    @Test("/dev/null opens for the process's own user, asked of the kernel; a missing node is missing")
    func ownUser() {
        let rows = DeviceChecker(root: "/").check([
            DeviceClaim(pod: "p", service: "s", device: "/dev/null", permissions: "rw"),
            DeviceClaim(pod: "p", service: "s", device: "/dev/pstest-no-such-node"),
        ])
        #expect(rows.map(\.verdict) == [.available(source: "/dev/null"), .missingNode("/dev/pstest-no-such-node")])
    }
}
