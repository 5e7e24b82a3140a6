import PodstackTestSupport
import Testing

@testable import PodstackHost

@Suite("Cgroup tree")
struct CgroupTreeTests {
    @Test("On a v1 host the named systemd hierarchy lists running system and user units with their pids")
    func readsV1NamedHierarchy() throws {
        let tree = try RecordedTree()
        try tree.write("/sys/fs/cgroup/memory/system.slice/decoy.service/cgroup.procs", "999\n")
        try tree.write("/sys/fs/cgroup/systemd/cgroup.procs", "1\n")
        try tree.write("/sys/fs/cgroup/systemd/system.slice/ollama.service/cgroup.procs", "812\n813\n")
        try tree.write("/sys/fs/cgroup/systemd/system.slice/ollama.service/notify_on_release", "0\n")
        try tree.write("/sys/fs/cgroup/systemd/system.slice/qdrant.service/cgroup.procs", "")
        try tree.write(
            "/sys/fs/cgroup/systemd/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service/cgroup.procs",
            "2001\n")
        let units = CgroupTree(root: tree.root).runningUnits()
        #expect(units.map(\.name) == ["foo.service", "ollama.service"])
        #expect(units.first { $0.name == "ollama.service" }?.pids == [812, 813])
        #expect(units.first?.kind == .userUnit(uid: 1000, name: "foo.service"))
    }

    @Test("On a v2 host the unified root is used, and pids of nested cgroups count for their unit")
    func readsV2Unified() throws {
        let tree = try RecordedTree()
        try tree.write("/sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n")
        try tree.write("/sys/fs/cgroup/system.slice/ollama.service/cgroup.procs", "")
        try tree.write("/sys/fs/cgroup/system.slice/ollama.service/runner/cgroup.procs", "900\n")
        try tree.write("/sys/fs/cgroup/system.slice/ollama.service/memory.max", "max\n")
        let units = CgroupTree(root: tree.root).runningUnits()
        #expect(CgroupTree(root: tree.root).systemdHierarchy == tree.path("/sys/fs/cgroup"))
        #expect(units == [RunningUnit(kind: .systemUnit("ollama.service"), name: "ollama.service", pids: [900])])
    }

    @Test("A hybrid host without the named hierarchy falls back to its unified mount")
    func readsHybridUnified() throws {
        let tree = try RecordedTree()
        try tree.write("/sys/fs/cgroup/unified/system.slice/qdrant.service/cgroup.procs", "77\n")
        #expect(CgroupTree(root: tree.root).runningUnits().map(\.name) == ["qdrant.service"])
    }

    @Test("A host with no cgroup tree has no running units rather than an error")
    func emptyWithoutTree() throws {
        let tree = try RecordedTree()
        #expect(CgroupTree(root: tree.root).runningUnits().isEmpty)
    }
}
