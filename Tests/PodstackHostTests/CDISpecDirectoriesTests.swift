import PodstackTestSupport
import Testing

@testable import PodstackHost

@Suite("CDI spec directories under a root")
struct CDISpecDirectoriesTests {
    static func spec(kind: String = "example.com/gpu", devices: [String], version: String = "0.5.0") -> String {
        "cdiVersion: \"\(version)\"\nkind: \(kind)\ndevices:\n"
            + devices.map { "  - name: \($0)\n    containerEdits:\n      env: [DEVICE=\($0)]\n" }.joined()
    }

    static func name(_ text: String) throws -> CDIDeviceName { try CDIDeviceName.parse(text).get() }

    @Test("specs are read from /etc/cdi and /var/run/cdi inside the root; other files are ignored")
    func readsBothDirectories() throws {
        let tree = try RecordedTree()
        try tree.write("/etc/cdi/example.yaml", Self.spec(devices: ["fake0"]))
        try tree.write("/etc/cdi/README.txt", "not a spec")
        try tree.write(
            "/var/run/cdi/accel.json", #"{"cdiVersion":"0.5.0","kind":"example.com/accel","devices":[{"name":"a0"}]}"#)
        let catalog = CDISpecDirectories(root: tree.root).read()
        #expect(catalog.specs.map(\.file) == ["/etc/cdi/example.yaml", "/var/run/cdi/accel.json"])
        #expect(catalog.failures.isEmpty)
        #expect(catalog.resolvableNames() == ["example.com/accel=a0", "example.com/gpu=fake0"])
    }

    @Test("a spec in /var/run/cdi wins over one in /etc/cdi for the same device, as Podman 4.3.1 does")
    func laterDirectoryWins() throws {
        let tree = try RecordedTree()
        try tree.write("/etc/cdi/a.yaml", Self.spec(devices: ["fake0"]))
        try tree.write("/var/run/cdi/b.yaml", Self.spec(devices: ["fake0"]))
        guard
            case .found(let spec, _) = CDISpecDirectories(root: tree.root).read().resolve(
                try Self.name("example.com/gpu=fake0"))
        else { Issue.record("not found"); return }
        #expect(spec.file == "/var/run/cdi/b.yaml")
    }

    @Test(
        "each way a device cannot be resolved is told apart",
        arguments: [
            ("example.com/gpu=fake1", "no-such-device"), ("other.com/gpu=0", "no-spec"),
            ("example.com/dup=d0", "conflict"), ("example.com/new=n0", "too-new"), ("example.com/gpu=fake0", "found"),
        ])
    func resolutions(device: String, expected: String) throws {
        let tree = try RecordedTree()
        try tree.write("/etc/cdi/example.yaml", Self.spec(devices: ["fake0", "all"]))
        try tree.write("/etc/cdi/dup-a.yaml", Self.spec(kind: "example.com/dup", devices: ["d0"]))
        try tree.write("/etc/cdi/dup-b.yml", Self.spec(kind: "example.com/dup", devices: ["d0"]))
        try tree.write("/etc/cdi/new.yaml", Self.spec(kind: "example.com/new", devices: ["n0"], version: "0.6.0"))
        let catalog = CDISpecDirectories(root: tree.root).read()
        let resolution = catalog.resolve(try Self.name(device), newestVersion: CDIVersion("0.5.0"))
        switch resolution {
        case .found: #expect(expected == "found")
        case .noSpec: #expect(expected == "no-spec")
        case .noSuchDevice(let files, let available, _):
            #expect(expected == "no-such-device")
            #expect(files == ["/etc/cdi/example.yaml"])
            #expect(available == ["all", "fake0"])
        case .conflict(let files):
            #expect(expected == "conflict")
            #expect(files == ["/etc/cdi/dup-a.yaml", "/etc/cdi/dup-b.yml"])
        case .tooNew(let spec, _):
            #expect(expected == "too-new")
            #expect(spec.version == "0.6.0")
        }
    }

    @Test("a broken spec of the asked kind is named when no valid one defines the device")
    func namesBrokenSpecs() throws {
        let tree = try RecordedTree()
        try tree.write("/etc/cdi/nvidia.yaml", "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices: []\n")
        try tree.write("/etc/cdi/other.yaml", "cdiVersion: 0.5.0\nkind: other.com/gpu\ndevices: []\n")
        let catalog = CDISpecDirectories(root: tree.root).read()
        guard case .noSpec(let broken) = catalog.resolve(try Self.name("nvidia.com/gpu=all")) else {
            Issue.record("expected no spec"); return
        }
        #expect(broken.map(\.file) == ["/etc/cdi/nvidia.yaml"])
        #expect(catalog.failures.count == 2)
    }

    @Test("no directories at all is no spec, not an error")
    func emptyHost() throws {
        let tree = try RecordedTree()
        let catalog = CDISpecDirectories(root: tree.root).read()
        #expect(catalog.entries.isEmpty)
        guard case .noSpec(let broken) = catalog.resolve(try Self.name("nvidia.com/gpu=all")) else {
            Issue.record("expected no spec"); return
        }
        #expect(broken.isEmpty)
    }

    @Test("groups list their members; a user's supplementary gids come from every group naming them")
    func groupFile() throws {
        let tree = try RecordedTree()
        try tree.write("/etc/group", "root:x:0:\nvideo:x:44:alice,bob\n# c:x:1:\nrender:x:105:alice\nbroken\n")
        let groups = GroupFile(root: tree.root)
        #expect(groups.supplementaryGIDs(of: "alice") == [44, 105])
        #expect(groups.supplementaryGIDs(of: "bob") == [44])
        #expect(groups.name(of: 105) == "render")
        #expect(groups.groups.count == 3)
    }
}
