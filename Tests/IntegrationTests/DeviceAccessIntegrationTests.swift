import Foundation
import Glibc
import PodstackTestSupport
import Testing

/// Who may open a host device node, on the real beds: the tests run podstack as root against the bed
/// user's rootless service (podstack-ci), as `sudo podstack up` would. The nodes are made with mknod (a
/// `c 1 3` node, like /dev/null) under /dev, which both beds' Podman see, and removed afterwards.
@Suite(
    "host device nodes are checked as the Podman service's user, not as root",
    .enabled(if: TestBed.enabled && geteuid() == 0, "needs the test bed and root (mknod)"))
struct DeviceAccessIntegrationTests {
    /// A device node of the test's own; removed by `remove`.
    static func makeNode(mode: mode_t, gid: gid_t) throws -> String {
        let path = "/dev/" + TestBed.uniqueName("gpu17")
        guard mknod(path, S_IFCHR | mode, dev_t((1 << 8) | 3)) == 0, chmod(path, mode) == 0, chown(path, 0, gid) == 0
        else {
            throw NodeNotMade(path: path, errno: errno)
        }
        return path
    }

    struct NodeNotMade: Error {
        var path: String
        var errno: Int32
    }

    static var bedUser: String { TestBed.environment["PODSTACK_TESTBED_USER"] ?? "podstack-ci" }

    @Test(
        "a node only root and group video open refuses up with not-permitted for the bed's user, who is named with the usermod that lets them in; nothing is created"
    )
    func refusesAsServiceUser() async throws {
        let video = try #require(getgrnam("video")?.pointee.gr_gid, "no group video on this host")
        let node = try Self.makeNode(mode: 0o660, gid: video)
        let stack = try ScratchStack("devuser")
        try stack.write(
            ScratchStack.service("worker", mode: "sleep", health: false, extra: "    devices: [\"\(node)\"]\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({
            await podstack.down(stack.directory)
            unlink(node)
        }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(up.status == 3, "\(up.output)")
            #expect(up.output.contains("does not open for \(Self.bedUser)"), "\(up.output)")
            #expect(up.output.contains("usermod -aG render,video \(Self.bedUser)"), "\(up.output)")
            #expect(up.output.contains("Nothing was created"), "\(up.output)")
            let pods = try await ExportTool.podman(["pod", "ls", "--format", "{{.Name}}"]).output
            #expect(!pods.split(separator: "\n").contains { $0 == stack.pod }, "\(pods)")
            let preflight = try await podstack.run(["preflight", "--compose-dir", stack.directory, "--json"])
            #expect(preflight.status == 3, "\(preflight.output)")
            #expect(preflight.output.contains("\"checkedUser\" : \"\(Self.bedUser)\""), "\(preflight.output)")
        }
    }
}
