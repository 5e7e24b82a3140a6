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

    static func root(_ tool: String, _ arguments: [String]) async throws {
        let result = try await ExportTool.run(tool, arguments)
        guard result.status == 0 else { throw ToolFailed(tool: tool, output: result.output) }
    }

    struct ToolFailed: Error {
        var tool: String
        var output: String
    }

    /// The container's own process opens the node (a `podman exec` would run with the exec's groups).
    static let opener =
        "    entrypoint: [\"/bin/sh\", \"-c\", \"if echo x > $$NODE; then echo node-opened; else echo node-refused; fi; exec sleep 3600\"]\n"

    @Test(
        "a node that opens for the bed's user only through a supplementary group: up warns that the runtime drops it, with the ACL way out, which preflight then accepts"
    )
    func supplementaryGroup() async throws {
        let group = TestBed.uniqueName("grp")
        try await Self.root("/usr/sbin/groupadd", [group])
        let stack = try ScratchStack("devgrp")
        let podstack = try PodstackProcess()
        var node = ""
        try await withCleanup({
            await podstack.down(stack.directory)
            if !node.isEmpty { unlink(node) }
            try? await Self.root("/usr/sbin/groupdel", [group])
        }) {
            try await Self.root("/usr/sbin/usermod", ["-aG", group, Self.bedUser])
            let gid = try #require(getgrnam(group)?.pointee.gr_gid)
            node = try Self.makeNode(mode: 0o660, gid: gid)
            try stack.write(
                ScratchStack.service(
                    "worker", mode: "sleep", health: false, environment: ["NODE": node],
                    extra: "    devices: [\"\(node)\"]\n" + Self.opener))
            let runtime = try await ExportTool.podman(["info", "--format", "{{.Host.OCIRuntime.Name}}"]).output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let logs = try await ExportTool.podman(["logs", "\(stack.pod)-worker"]).output
            if runtime == "crun" {
                #expect(up.output.contains("keep-groups (runtime crun)"), "\(up.output)")
                #expect(logs.contains("node-opened"), "\(logs)")
            } else {
                #expect(
                    up.output.contains("warning:") && up.output.contains("only through group \(group)"), "\(up.output)")
                #expect(up.output.contains("runtime is \(runtime)"), "\(up.output)")
                #expect(up.output.contains("sudo setfacl -m u:\(Self.bedUser):rw \(node)"), "\(up.output)")
                #expect(logs.contains("node-refused") && logs.contains("Permission denied"), "\(logs)")
            }
            // The way out: the user's own ACL entry opens the node through no group, so nothing is left to warn.
            try await Self.root("/usr/bin/setfacl", ["-m", "u:\(Self.bedUser):rw", node])
            let preflight = try await podstack.run(["preflight", "--compose-dir", stack.directory, "--json"])
            #expect(
                preflight.status == 0 && preflight.output.contains("\"verdict\" : \"available\""), "\(preflight.output)"
            )
        }
    }
}
