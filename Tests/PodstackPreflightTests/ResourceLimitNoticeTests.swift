import Foundation
import PodstackHost
import Testing

@testable import PodstackPreflight

@Suite("The warning that rootless Podman cannot apply the limits a stack sets")
struct ResourceLimitNoticeTests {
    typealias Limited = ResourceLimitNotice.LimitedService

    /// A recorded /sys/fs/cgroup: v2 has cgroup.controllers at the top (and, when given, the controllers
    /// systemd delegates to user 1000), v1 a directory per controller.
    static func host(unified: Bool, delegated: String? = nil) throws -> String {
        let root = NSTemporaryDirectory() + "podstack-cgroup-\(UUID().uuidString)"
        let cgroup = root + "/sys/fs/cgroup"
        try FileManager.default.createDirectory(atPath: cgroup + "/memory", withIntermediateDirectories: true)
        if unified {
            try "cpuset cpu io memory pids\n".write(
                toFile: cgroup + "/cgroup.controllers", atomically: true, encoding: .utf8)
        }
        if let delegated {
            let user = cgroup + "/user.slice/user-1000.slice/user@1000.service"
            try FileManager.default.createDirectory(atPath: user, withIntermediateDirectories: true)
            try (delegated + "\n").write(toFile: user + "/cgroup.controllers", atomically: true, encoding: .utf8)
        }
        return root
    }

    static let api = Limited(name: "p/api", controllers: ["memory"])
    static let db = Limited(name: "p/db", controllers: ["cpu", "pids"])

    @Test("rootless on cgroups v1 with limited services: a sentence naming them and the way out")
    func warnsOnV1() throws {
        let root = try Self.host(unified: false)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let warning = try #require(
            ResourceLimitNotice.warning(
                for: [Self.api, Self.db], cgroups: CgroupTree(root: root), rootless: true, uid: 1000))
        #expect(
            warning.contains("cgroups v1") && warning.contains("p/api, p/db")
                && warning.contains("unified_cgroup_hierarchy"))
    }

    @Test("on cgroups v2 the services whose controllers systemd does not delegate are named, with the drop-in")
    func warnsOnUndelegatedV2() throws {
        let root = try Self.host(unified: true, delegated: "memory pids")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let warning = try #require(
            ResourceLimitNotice.warning(
                for: [Self.api, Self.db], cgroups: CgroupTree(root: root), rootless: true, uid: 1000))
        #expect(
            warning.contains("the cpu cgroup controller to user 1000") && warning.contains("limits of p/db "),
            "\(warning)")
        #expect(!warning.contains("p/api") && warning.contains("Delegate=cpu cpuset io memory pids"), "\(warning)")
    }

    @Test("no warning with every controller delegated, without the user's cgroup, rootful, or without limits")
    func silentOtherwise() throws {
        let v1 = try Self.host(unified: false)
        let full = try Self.host(unified: true, delegated: "cpuset cpu io memory pids")
        let noUser = try Self.host(unified: true)
        defer { for root in [v1, full, noUser] { try? FileManager.default.removeItem(atPath: root) } }
        let services = [Self.api, Self.db]
        #expect(
            ResourceLimitNotice.warning(for: services, cgroups: CgroupTree(root: full), rootless: true, uid: 1000)
                == nil)
        #expect(
            ResourceLimitNotice.warning(for: services, cgroups: CgroupTree(root: noUser), rootless: true, uid: 1000)
                == nil)
        #expect(
            ResourceLimitNotice.warning(for: services, cgroups: CgroupTree(root: v1), rootless: false, uid: 1000) == nil
        )
        #expect(ResourceLimitNotice.warning(for: [], cgroups: CgroupTree(root: v1), rootless: true, uid: 1000) == nil)
    }
}
