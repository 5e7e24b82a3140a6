import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackMigrate

@Suite("Migration copy: interrupted and resumed")
struct MigrateResumeTests {
    struct Interrupted: Error {}

    @Test(
        "a copy stopped mid-file leaves whole files and one partial; the next run continues it and verifies every byte")
    func resumeAfterInterruption() throws {
        let host = try MigrateHost.typical()
        let plan = try host.planner().plan()
        // Small chunks so that the stop falls inside the 300 kB blob, after the first files are done.
        let stopping = CopyOptions(
            chunkSize: 4_096,
            beforeWrite: { _, written in
                if written >= 100_000 { throw Interrupted() }
            })
        #expect(throws: Interrupted.self) { try MigrationExecutor(options: stopping).execute(plan) }
        let partials = TreeComparison.partials(under: host.dataDirectory)
        #expect(partials == ["ollama/models/blobs/.sha256-aaaa.podstack-partial"])
        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory + "/ollama/models/blobs/sha256-aaaa"))

        let outcome = try MigrationExecutor(options: CopyOptions(chunkSize: 4_096)).execute(try host.planner().plan())
        #expect(outcome.isComplete)
        let ollama = try #require(outcome.reports.first { $0.service == "ollama" })
        #expect(ollama.resumedFiles == 1)
        #expect(ollama.identicalFiles + ollama.copiedFiles == 5)
        #expect(ollama.verifiedFiles == 5)
        #expect(TreeComparison.partials(under: host.dataDirectory).isEmpty)
        #expect(
            TreeComparison.differences(
                source: host.path("/usr/share/ollama/.ollama/models"), copy: host.dataDirectory + "/ollama/models"
            ).isEmpty)
        #expect(
            TreeComparison.differences(
                source: host.path("/var/lib/qdrant/storage"), copy: host.dataDirectory + "/qdrant"
            ).isEmpty)
    }

    @Test("a partial whose bytes are wrong is caught by the checksum and copied again from the start")
    func corruptPartialIsRedone() throws {
        let host = try MigrateHost.typical()
        let blobs = host.dataDirectory + "/ollama/models/blobs"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        try Data(repeating: 0xEE, count: 50_000).write(
            to: URL(fileURLWithPath: blobs + "/.sha256-aaaa.podstack-partial"))
        let outcome = try MigrationExecutor().execute(try host.planner().plan())
        let ollama = try #require(outcome.reports.first { $0.service == "ollama" })
        #expect(ollama.isComplete)
        #expect(ollama.resumedFiles == 0)
        #expect(
            TreeComparison.differences(
                source: host.path("/usr/share/ollama/.ollama/models"), copy: host.dataDirectory + "/ollama/models"
            ).isEmpty)
    }

    @Test("a partial longer than its source is discarded, not trusted")
    func overlongPartial() throws {
        let host = try MigrateHost.typical()
        let blobs = host.dataDirectory + "/ollama/models/blobs"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        try Data(repeating: 1, count: 6_000).write(to: URL(fileURLWithPath: blobs + "/.sha256-cccc.podstack-partial"))
        let outcome = try MigrationExecutor().execute(try host.planner().plan())
        #expect(outcome.isComplete)
        #expect(FileManager.default.contents(atPath: blobs + "/sha256-cccc") == Data(MigrateHost.bytes(5_000, seed: 3)))
    }
}
