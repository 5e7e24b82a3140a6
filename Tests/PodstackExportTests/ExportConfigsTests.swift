import Foundation
import PodstackCompose
import Testing

@testable import PodstackExport

@Suite("Export: configs")
struct ExportConfigsTests {
    typealias F = ExportFixture

    @Test("a config podstack writes is a hostPath of type File even before up wrote it; a file config is as found")
    func writtenConfigIsAFile() throws {
        var app = F.service("app")
        app.configs = [
            ConfigMount(
                source: "inline", target: "/etc/inline", hostPath: "/data/configs/p/app/inline",
                written: WrittenFile(text: "x")),
            ConfigMount(source: "plain", target: "/etc/plain", hostPath: "/srv/plain.conf"),
        ]
        app.mounts = app.configs.map { .bind(source: $0.hostPath, target: $0.target, readOnly: true, selinux: nil) }
        let volumes = try F.workload(F.pod([app]))["spec", "volumes"]
        var types: [String: String] = [:]
        for index in 0..<2 {
            if let path = volumes?[index, "hostPath", "path"]?.string {
                types[path] = volumes?[index, "hostPath", "type"]?.string
            }
        }
        #expect(types == ["/data/configs/p/app/inline": "File", "/srv/plain.conf": "DirectoryOrCreate"])
        let text = try KubeExporter(
            options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing }
        )
        .render([F.pod([app])], version: "test")
        #expect(text.contains("A config that podstack up writes"))
    }
}
