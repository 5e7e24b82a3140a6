import Foundation
import PodstackCompose
import Testing

@testable import PodstackExport

@Suite("Export: GPUs as the device plugins' resources.limits")
struct ExportDeviceTests {
    typealias F = ExportFixture

    static func request(_ path: String, isCDI: Bool = true) -> DeviceRequest {
        DeviceRequest(path: path, isCDI: isCDI, reason: path, location: nil)
    }

    static func container(_ devices: [DeviceRequest]) throws -> YAMLValue? {
        var worker = F.service("worker")
        worker.devices = devices
        return try F.workload(F.pod([worker]))["spec", "containers", 0]
    }

    @Test("named GPUs count per vendor; all writes 1 with a comment saying Kubernetes has no all")
    func limits() throws {
        let named = try Self.container([Self.request("nvidia.com/gpu=0"), Self.request("nvidia.com/gpu=1")])
        #expect(named?["resources", "limits", "nvidia.com/gpu"]?.int == 2)
        let all = try Self.container([Self.request("amd.com/gpu=all")])
        #expect(all?["resources", "limits", "amd.com/gpu"]?.int == 1)
        var worker = F.service("worker")
        worker.devices = [Self.request("nvidia.com/gpu=all")]
        let text = try KubeExporter(
            options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing }
        )
        .documents(for: F.pod([worker])).map { $0.render() }.joined()
        #expect(text.contains("Kubernetes has no count for every GPU"), "\(text)")
    }

    @Test("a host device or another CDI kind gets no limit, only a note")
    func others() throws {
        let container = try Self.container([
            Self.request("/dev/dri:/dev/dri:rwm", isCDI: false), Self.request("example.com/gpu=fake0"),
        ])
        #expect(container?["resources"] == nil)
    }
}
