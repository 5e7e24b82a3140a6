import Foundation
import PodstackCompose
import Testing
import Yams

@testable import PodstackExport

/// Every file of the real-world corpus (Tests/Fixtures/real-world) that loads on its own also exports: the
/// kube YAML renders and parses back as YAML with a Pod or Deployment in it.
@Suite("Export: the real-world corpus")
struct CorpusExportTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/real-world")

    @Test("every corpus file that loads renders as kube YAML that parses")
    func everyLoadedFileExports() throws {
        let enumerator = FileManager.default.enumerator(atPath: Self.corpus.path)
        var exported = 0
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".yml") || path.hasSuffix(".yaml") else { continue }
            let file = Self.corpus.appendingPathComponent(path)
            guard let stack = try? StackLoader(environment: ["HOME": "/home/tester"]).load(projectFiles: [file]) else {
                continue
            }
            let exporter = KubeExporter(
                options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            let text = try exporter.render(stack.pods, version: "test")
            let documents = try Array(Yams.load_all(yaml: text))
            let kinds = documents.compactMap { ($0 as? [String: Any])?["kind"] as? String }
            #expect(kinds.contains("Pod") || kinds.contains("Deployment"), "\(path): \(kinds)")
            exported += 1
        }
        #expect(exported >= 45, "\(exported) corpus files exported")
    }
}
