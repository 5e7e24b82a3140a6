import Foundation
import Glibc
import PodstackHost
import Testing

@testable import PodstackPreflight

/// `sudo podstack up` against a user's rootless service: root opens every node, but the containers run as
/// the service's user, so the check must be made as that user (passwd and group of the recorded root).
@Suite(
    "Devices are checked as the user whose Podman service runs the containers",
    .enabled(if: geteuid() == 0, "device nodes need mknod, which needs root"))
struct ServiceUserDeviceTests {
    typealias Fixture = GPUHostFixture

    @Test(
        "root driving alice's service checks /dev/dri/renderD128 as alice: refused while she is not in render, a keep-groups warning once she is",
        arguments: [("alice", "not-permitted"), ("alice,render", "needs-keep-groups")])
    func rootChecksAsServiceUser(groups: String, verdict: String) throws {
        let tree = try Fixture.make(aliceGroups: groups)
        let user = DeviceChecker.User.serving(ownerUID: 1000, runnerUID: 0, root: tree.root)
        #expect(user.name == "alice" && user.primaryGID == 1000 && user.checkedOnBehalf && !user.isThisProcess)
        let row = try #require(Fixture.check(tree, "/dev/dri/renderD128", user: user))
        #expect(row.verdict.name == verdict)
        #expect(row.checkedUser == "alice")
        #expect(row.problemSentence?.contains("for alice") == true, "\(row.problemSentence ?? "")")
        // The same node, checked as root (what podstack did before): root opens it, so it would pass.
        let root = DeviceChecker.User(uid: 0, name: "root", primaryGID: 0)
        #expect(Fixture.check(tree, "/dev/dri/renderD128", user: root)?.verdict.name == "available")
    }

    @Test("a node alice cannot open gives the command that adds alice to the group, not $USER (root's name)")
    func wayOutNamesTheUser() throws {
        let tree = try Fixture.make(aliceGroups: "alice")
        let user = DeviceChecker.User.serving(ownerUID: 1000, runnerUID: 0, root: tree.root)
        let row = try #require(Fixture.check(tree, "/dev/dri/card0", user: user))
        #expect(row.waysOut.compactMap(\.command) == ["usermod -aG render,video alice"])
        let json = try String(decoding: JSONEncoder().encode(row), as: UTF8.self)
        #expect(json.contains(#""checkedUser":"alice""#), "\(json)")
    }

    @Test("a uid without a passwd line is checked with its uid as its group, and named by its number")
    func unknownUID() throws {
        let tree = try Fixture.make()
        let user = DeviceChecker.User.serving(ownerUID: 4321, runnerUID: 0, root: tree.root)
        #expect(user.name == "4321" && user.primaryGID == 4321 && user.checkedOnBehalf)
    }

    @Test(
        "a user driving their own service, and root driving root's, are checked as this process",
        arguments: [(1000, 1000), (0, 0), (1000, 1001)])
    func ownService(owner: Int, runner: Int) throws {
        let tree = try Fixture.make()
        let user = DeviceChecker.User.serving(ownerUID: owner, runnerUID: runner, root: tree.root)
        #expect(user.isThisProcess && !user.checkedOnBehalf && user.uid == Int(geteuid()))
    }
}
