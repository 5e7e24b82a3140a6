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

    @Test("an external config's secret is always referenced, never included: podstack never reads its value")
    func externalConfigSecret() throws {
        let pod = F.pod(
            [F.service("app", secrets: [SecretReference(source: "site_conf", target: "/etc/site.conf")])],
            secrets: [SecretDefinition(key: "site_conf", name: "site_conf", source: .external)])
        let exporter = KubeExporter(
            options: KubeExportOptions(includeSecrets: true),
            secretValue: { _ in
                Issue.record("the value of an external config's secret was asked for")
                return Data()
            })
        let documents = try exporter.documents(for: pod)
        #expect(documents.count == 1, "no Secret manifest")
        let comments = documents[0].comments.joined(separator: "\n")
        #expect(comments.contains("kubectl create secret generic site-conf --from-file=site_conf="))
        #expect(comments.contains("the Podman secret site_conf, which podstack never reads"))
        #expect(documents[0].value?["spec", "volumes"]?.named("secret-site-conf")?["secret", "secretName"]?.string == "site-conf")
    }
}
