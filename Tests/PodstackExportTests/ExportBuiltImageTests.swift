import Foundation
import PodstackCompose
import Testing

@testable import PodstackExport

@Suite("Export: images podstack builds")
struct ExportBuiltImageTests {
    typealias F = ExportFixture

    @Test("a service with build: is named with a note that its image must be pushed, and how")
    func builtImageNote() throws {
        var built = F.service("api", image: "localhost/demo-api")
        built.build = BuildDefinition(context: "/src", location: F.here)
        let text = try KubeExporter(options: KubeExportOptions()).render([F.pod([built])], version: "test")
        #expect(text.contains("localhost/demo-api is built by podstack: push it to a registry"), "\(text)")
        #expect(text.contains("podstack kube --push REGISTRY"), "\(text)")
        #expect(try F.workload(F.pod([built]))["spec", "containers", 0, "imagePullPolicy"]?.string == "IfNotPresent")
    }
}
