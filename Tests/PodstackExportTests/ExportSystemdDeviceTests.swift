import PodstackCompose
import Testing

@testable import PodstackExport

@Suite("Export: systemd units wait for the devices their pod opens")
struct ExportSystemdDeviceTests {
    typealias F = ExportFixture

    @Test(
        "device unit names are systemd-escape --path --suffix=device's",
        arguments: [
            ("/dev/dri/renderD128", "dev-dri-renderD128.device"), ("/dev/sda1", "dev-sda1.device"),
            ("/dev/nvidia-uvm", "dev-nvidia\\x2duvm.device"), ("/dev/snd/controlC0", "dev-snd-controlC0.device"),
            ("/dev/x y%z", "dev-x\\x20y\\x25z.device"), ("/dev/.hidden", "dev-.hidden.device"),
            ("//dev//kfd/", "dev-kfd.device"), ("/dev/café", "dev-caf\\xc3\\xa9.device"),
        ])
    func escaping(path: String, unit: String) {
        #expect(DeviceUnitOrdering.unitName(path) == unit)
    }

    @Test(
        "disks, serial ttys and sound control nodes have a certain device unit; GPU nodes do not",
        arguments: [
            ("/dev/sda", true), ("/dev/nvme0n1p2", true), ("/dev/vdb1", true), ("/dev/mmcblk0p1", true),
            ("/dev/ttyUSB0", true), ("/dev/ttyACM1", true), ("/dev/snd/controlC0", true), ("/dev/tty1", false),
            ("/dev/dri/renderD128", false), ("/dev/dri/card0", false), ("/dev/kfd", false), ("/dev/nvidia0", false),
            ("/dev/nvidiactl", false), ("/dev/sd", false), ("/dev/sda-x", false), ("/dev/snd/pcmC0D0p", false),
        ])
    func certainty(path: String, hasUnit: Bool) {
        #expect(DeviceUnitOrdering.hasDeviceUnit(path) == hasUnit)
    }

    @Test("the unit requires and follows a disk's device unit, and names a GPU node it cannot wait for in a comment")
    func rendered() {
        let unit = SystemdUnit(
            pod: F.pod([F.service("ollama")], name: "local-ai"), binary: "/b", stackArguments: [], containerHost: nil,
            environment: [], version: "x", devicePaths: ["/dev/sdb", "/dev/dri/renderD128", "/dev/sdb"])
        let text = unit.render()
        let unitSection = text.components(separatedBy: "[Service]").first ?? ""
        #expect(unitSection.contains("Requires=dev-sdb.device\nAfter=dev-sdb.device\n"), "\(text)")
        #expect(unitSection.contains("# /dev/dri/renderD128: no device unit is certain;"), "\(text)")
        #expect(text.components(separatedBy: "Requires=dev-sdb.device").count == 2, "\(text)")
        #expect(!text.contains("renderD128.device"))
    }

    @Test("a pod without devices gets no device lines, so its unit is as before")
    func none() {
        let unit = SystemdUnit(
            pod: F.pod([F.service("ollama")]), binary: "/b", stackArguments: [], containerHost: nil, environment: [],
            version: "x")
        #expect(unit.deviceLines.isEmpty)
        #expect(!unit.render().contains(".device"))
    }
}
