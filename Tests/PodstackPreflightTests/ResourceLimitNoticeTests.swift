import Foundation
import PodstackHost
import Testing

@testable import PodstackPreflight

@Suite("The warning that rootless Podman on cgroups v1 ignores limits")
struct ResourceLimitNoticeTests {
    /// A recorded /sys/fs/cgroup: v2 has cgroup.controllers at the top, v1 a directory per controller.
    static func host(unified: Bool) throws -> String {
        let root = NSTemporaryDirectory() + "podstack-cgroup-\(UUID().uuidString)"
        let cgroup = root + "/sys/fs/cgroup"
        try FileManager.default.createDirectory(atPath: cgroup + "/memory", withIntermediateDirectories: true)
        if unified {
            try "cpu memory pids\n".write(toFile: cgroup + "/cgroup.controllers", atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test("rootless on cgroups v1 with limited services: a sentence naming them and the way out")
    func warnsOnV1() throws {
        let root = try Self.host(unified: false)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let warning = try #require(
            ResourceLimitNotice.warning(
                limitedServices: ["p/api", "p/db"], cgroups: CgroupTree(root: root), rootless: true))
        #expect(
            warning.contains("cgroups v1") && warning.contains("p/api, p/db")
                && warning.contains("unified_cgroup_hierarchy"))
    }

    @Test("no warning on cgroups v2, for rootful Podman, or when no service sets a limit")
    func silentOtherwise() throws {
        let v1 = try Self.host(unified: false)
        let v2 = try Self.host(unified: true)
        defer {
            try? FileManager.default.removeItem(atPath: v1)
            try? FileManager.default.removeItem(atPath: v2)
        }
        #expect(
            ResourceLimitNotice.warning(limitedServices: ["p/api"], cgroups: CgroupTree(root: v2), rootless: true)
                == nil)
        #expect(
            ResourceLimitNotice.warning(limitedServices: ["p/api"], cgroups: CgroupTree(root: v1), rootless: false)
                == nil)
        #expect(ResourceLimitNotice.warning(limitedServices: [], cgroups: CgroupTree(root: v1), rootless: true) == nil)
    }
}
