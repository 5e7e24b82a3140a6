import Foundation
import PodstackCompose
import Testing

@testable import PodstackExport

/// A Pod has one restart policy, and restarting is how a dependent it cannot order waits.
@Suite("Export: the Pod's restart policy when services depend on each other")
struct ExportRestartTests {
    typealias F = ExportFixture

    static let ordered = F.pod([
        F.service("db", healthcheck: F.check, restart: .no),
        F.service("api", dependsOn: [Dependency(service: "db", condition: .healthy)], restart: .no),
    ])

    @Test("restart: no with a dependency the Pod cannot order restarts on failure, and says why")
    func orderedByRestarting() throws {
        let documents = try KubeExporter(options: KubeExportOptions()).documents(for: Self.ordered)
        let workload = try #require(documents.last)
        #expect(workload.value?["spec", "restartPolicy"]?.string == "OnFailure")
        #expect(workload.comments.contains { $0.contains("restartPolicy OnFailure, though compose says restart: no") })
        let text = YAMLDocument.stream(documents)
        #expect(text.contains("is restarted until db answers"), "\(text)")
    }

    @Test("restart: no stays Never when every dependency is expressed: a job that runs first as an init container")
    func orderedByInitContainer() throws {
        let pod = F.pod([
            F.service("seed", restart: .no),
            F.service("api", dependsOn: [Dependency(service: "seed", condition: .completedSuccessfully)], restart: .no),
        ])
        #expect(try F.workload(pod)["spec", "restartPolicy"]?.string == "Never")
        #expect(try F.workload(F.pod([F.service("job", restart: .no)]))["spec", "restartPolicy"]?.string == "Never")
    }

    @Test("with sidecars every dependency is ordered, so restart: no stays Never")
    func orderedBySidecars() throws {
        let value = try F.workload(Self.ordered, options: KubeExportOptions(sidecars: true))
        #expect(value["spec", "restartPolicy"]?.string == "Never")
    }
}
