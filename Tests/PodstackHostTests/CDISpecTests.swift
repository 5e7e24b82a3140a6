import PodstackTestSupport
import Testing

@testable import PodstackHost

@Suite("CDI specs: read, checked and resolved as Podman resolves them")
struct CDISpecTests {
    static let nvidiaYAML = """
        cdiVersion: "0.5.0"
        kind: nvidia.com/gpu
        devices:
          - name: "0"
            containerEdits:
              deviceNodes:
                - path: /dev/nvidia0
          - name: all
            containerEdits:
              deviceNodes:
                - path: /dev/nvidia0
        containerEdits:
          env:
            - NVIDIA_VISIBLE_DEVICES=void
          deviceNodes:
            - path: /dev/nvidiactl
          mounts:
            - hostPath: /usr/lib/x86_64-linux-gnu/libcuda.so.550.54.14
              containerPath: /usr/lib/x86_64-linux-gnu/libcuda.so.550.54.14
              options: [ro, nosuid, nodev, bind]

        """

    static let fakeJSON = """
        {"cdiVersion":"0.3.0","kind":"example.com/gpu","devices":[{"name":"fake0","containerEdits":\
        {"env":["FAKE_GPU=fake0"],"deviceNodes":[{"path":"/dev/fakegpu0","hostPath":"/dev/null","permissions":"rw"}]}}]}
        """

    @Test("a YAML spec gives its kind, devices and the edits of each device and of the whole spec")
    func readsYAML() throws {
        let spec = try CDISpec.parse(Self.nvidiaYAML, file: "/etc/cdi/nvidia.yaml").get()
        #expect(spec.kind == "nvidia.com/gpu")
        #expect(spec.deviceNames == ["0", "all"])
        #expect(spec.device(named: "0")?.edits.deviceNodes.map(\.hostSide) == ["/dev/nvidia0"])
        #expect(spec.commonEdits.env == ["NVIDIA_VISIBLE_DEVICES=void"])
        #expect(spec.commonEdits.mounts.first?.hostPath == "/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.14")
    }

    @Test("a JSON spec is read with Foundation, a node's host path kept apart from its container path")
    func readsJSON() throws {
        let spec = try CDISpec.parse(Self.fakeJSON, file: "/var/run/cdi/fake.json").get()
        let node = try #require(spec.device(named: "fake0")?.edits.deviceNodes.first)
        #expect(spec.version == "0.3.0")
        #expect(node.path == "/dev/fakegpu0")
        #expect(node.hostSide == "/dev/null")
        #expect(node.permissions == "rw")
    }

    @Test(
        "a broken spec is refused with its file and what is wrong",
        arguments: [
            ("kind: a.com/gpu\ndevices: [{name: x}]\n", "cdiVersion is missing"),
            ("cdiVersion: 0.5.0\nkind: gpu\ndevices: [{name: x}]\n", "kind \"gpu\" is not of the form vendor/class"),
            (
                "cdiVersion: 0.5.0\nkind: 1a.com/gpu\ndevices: [{name: x}]\n",
                "vendor \"1a.com\" must start with a letter"
            ),
            ("cdiVersion: 0.5.0\nkind: a.com/gpu\ndevices: []\n", "defines no devices"),
            ("cdiVersion: 0.5.0\nkind: a.com/gpu\ndevices: [{name: x}, {name: x}]\n", "device \"x\" is defined twice"),
            ("cdiVersion: 0.5.0\nkind: a.com/gpu\ndevices: [{name: -x}]\n", "device name \"-x\" must start"),
            ("cdiVersion: 0.5.0\nkind: a.com/gpu\ndevices: [{containerEdits: {}}]\n", "devices[0].name is missing"),
            ("cdiVersion: five\nkind: a.com/gpu\ndevices: [{name: x}]\n", "cdiVersion \"five\" is not a version"),
            (
                "cdiVersion: 0.5.0\nkind: a.com/gpu\ndevices: [{name: x, containerEdits: {env: [NOEQUALS]}}]\n",
                "env entry \"NOEQUALS\" is not NAME=VALUE"
            ),
            (
                "cdiVersion: 0.5.0\nkind: a.com/gpu\ndevices: [{name: x, containerEdits: {deviceNodes: [{path: dev/x}]}}]\n",
                "device node path \"dev/x\" is not absolute"
            ),
            ("cdiVersion: 0.5.0\nkind: a.com/gpu\ndevices: {name: x}\n", "devices is not a list"),
            ("cdiVersion: [oops\n", "cannot be read"),
        ])
    func refusesBrokenSpecs(text: String, expected: String) {
        switch CDISpec.parse(text, file: "/etc/cdi/broken.yaml") {
        case .success(let spec): Issue.record("accepted \(spec)")
        case .failure(let error):
            #expect(error.file == "/etc/cdi/broken.yaml")
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test(
        "qualified names split into vendor, class and name; anything else says what is wrong",
        arguments: [
            ("nvidia.com/gpu=0", "nvidia.com/gpu=0"), ("amd.com/gpu=all", "amd.com/gpu=all"),
            ("nvidia.com/gpu=0:1", "nvidia.com/gpu=0:1"), ("nvidia.com/gpu=GPU-4b1c-9e", "nvidia.com/gpu=GPU-4b1c-9e"),
            ("nvidia.com/gpu", "not a CDI device name"), ("nvidia.com=0", "not a CDI device name"),
            ("nvidia.com/g!pu=0", "may not contain \"!\""), ("nvidia.com/gpu=", "device name is empty"),
            ("nvidia.com/gpu=0.", "must end with a letter or digit"),
        ])
    func parsesNames(text: String, expected: String) {
        switch CDIDeviceName.parse(text) {
        case .success(let name): #expect(name.description == expected)
        case .failure(let error): #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test("a path is not taken for a CDI name, and a CDI name is not taken for a path")
    func tellsNamesFromPaths() {
        #expect(CDIDeviceName.looksQualified("nvidia.com/gpu=all"))
        #expect(!CDIDeviceName.looksQualified("/dev/dri"))
        #expect(!CDIDeviceName.looksQualified("/dev/a=b/c"))
        #expect(!CDIDeviceName.looksQualified("gpu=all"))
    }

    @Test("versions compare as numbers: 0.10.0 is newer than 0.5.0")
    func comparesVersions() throws {
        let five = try #require(CDIVersion("0.5.0"))
        #expect(try #require(CDIVersion("0.10.0")) > five)
        #expect(try #require(CDIVersion("v0.4")) < five)
        #expect(CDIVersion("0.x") == nil)
    }
}

@Suite("CDI specs: damaged files")
struct CDISpecDamageTests {
    /// A valid spec cut short and with bytes changed at random: every outcome is a spec or a located error.
    @Test("a spec with random damage is read or refused with its file name, never a crash")
    func damagedSpecs() {
        var generator = SeededGenerator(state: 17)
        let sources = [
            (CDISpecTests.nvidiaYAML, "/etc/cdi/nvidia.yaml"), (CDISpecTests.fakeJSON, "/var/run/cdi/fake.json"),
        ]
        var refused = 0
        for round in 0..<200 {
            let (text, file) = sources[round % 2]
            var bytes = Array(text.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...127, using: &generator)
            }
            bytes = Array(bytes.prefix(Int.random(in: bytes.count / 2...bytes.count, using: &generator)))
            switch CDISpec.parse(String(decoding: bytes, as: UTF8.self), file: file) {
            case .success(let spec): #expect(spec.file == file)
            case .failure(let error):
                refused += 1
                #expect(error.file == file)
                #expect(!error.reason.isEmpty)
            }
        }
        #expect(refused > 0)
    }
}
