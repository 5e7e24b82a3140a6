import Foundation
import PodstackCompose
import Testing
import Yams

@testable import PodstackExport

/// n8n's starter kit puts minio and nginx on `default` and the others on `demo`: it loads as two pods, and
/// each export has one of everything per pod.
@Suite("Export: a file split into one pod per network group")
struct ExportSplitPodsTests {
    static func n8nStack() throws -> Stack {
        let file = CorpusExportTests.corpus.appendingPathComponent(
            "n8n-io__self-hosted-ai-starter-kit/docker-compose.yml")
        return try StackLoader(environment: ["HOME": "/home/tester"]).load(projectFiles: [file])
    }

    @Test("kube writes one Pod document per pod, and names the file they came from once")
    func kubeHasOnePodPerGroup() throws {
        let stack = try Self.n8nStack()
        let project = try #require(stack.pods.last?.name)
        #expect(stack.pods.map(\.name) == ["\(project)-demo", project])
        let exporter = KubeExporter(
            options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
        let text = try exporter.render(stack.pods, version: "test")
        let documents = try Array(Yams.load_all(yaml: text)).compactMap { $0 as? [String: Any] }
        let pods = documents.filter { $0["kind"] as? String == "Pod" }
        // Kubernetes names take no '_': the exporter turns the project's into '-'.
        let names = pods.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
        #expect(names.count == 2 && names.first == (names.last ?? "") + "-demo", "\(names)")
        let header = try #require(text.split(separator: "\n").first)
        #expect(header.components(separatedBy: "docker-compose.yml").count == 2, "\(header)")
    }

    @Test("systemd writes one unit per pod, each running only its pod")
    func systemdHasOneUnitPerGroup() throws {
        let stack = try Self.n8nStack()
        let units = stack.pods.map {
            SystemdUnit(
                pod: $0, binary: "/bin/podstack", stackArguments: ["-f", "/c/docker-compose.yml"], containerHost: nil,
                environment: [], version: "0.1.0")
        }
        #expect(units.map(\.fileName) == stack.pods.map { "podstack-\($0.name).service" })
        for (unit, pod) in zip(units, stack.pods) {
            #expect(unit.render().contains("ExecStart=/bin/podstack up -f /c/docker-compose.yml \(pod.name)\n"))
        }
    }
}
