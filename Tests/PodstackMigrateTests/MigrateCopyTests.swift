import Foundation
import Glibc
import PodstackTestSupport
import Testing

@testable import PodstackMigrate

@Suite("Migration copy: every byte, never the source, never over different data")
struct MigrateCopyTests {
    static func sourceDigests(_ host: MigrateHost) -> [String: String] {
        var digests: [String: String] = [:]
        for top in ["/usr/share/ollama", "/var/lib/qdrant"] {
            for name in FileManager.default.enumerator(atPath: host.path(top))?.allObjects as? [String] ?? [] {
                if let data = FileManager.default.contents(atPath: host.path(top) + "/" + name) {
                    digests[top + "/" + name] = SHA256.hexDigest(of: data)
                }
            }
        }
        return digests
    }

    @Test("a full copy is byte-for-byte the source, with modes, mtimes and inner links, and the source untouched")
    func fullCopy() throws {
        let host = try MigrateHost.typical()
        let before = Self.sourceDigests(host)
        let plan = try host.planner().plan()
        let outcome = try MigrationExecutor().execute(plan)
        #expect(outcome.isComplete)
        let ollama = try #require(outcome.reports.first { $0.service == "ollama" })
        #expect(ollama.copiedFiles == 5)
        #expect(ollama.verifiedFiles == 5)
        #expect(ollama.copiedBytes == 375_019)
        let qdrant = try #require(outcome.reports.first { $0.service == "qdrant" })
        #expect(qdrant.copiedFiles == 5)
        #expect(qdrant.links == 1)
        #expect(
            TreeComparison.differences(
                source: host.path("/usr/share/ollama/.ollama/models"), copy: host.dataDirectory + "/ollama/models"
            ).isEmpty)
        #expect(
            TreeComparison.differences(
                source: host.path("/var/lib/qdrant/storage"), copy: host.dataDirectory + "/qdrant"
            ).isEmpty)
        #expect(TreeComparison.partials(under: host.dataDirectory).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory + "/ollama/id_ed25519"))
        #expect(Self.sourceDigests(host) == before)
    }

    @Test("a second run finds everything in place by size and SHA-256 and writes nothing")
    func rerunIsIdempotent() throws {
        let host = try MigrateHost.typical()
        _ = try MigrationExecutor().execute(try host.planner().plan())
        let plan = try host.planner().plan()
        #expect(
            plan.services.allSatisfy {
                $0.glance?.present == ($0.tree?.entries.count ?? 0)
                    - ($0.tree?.entries.count { $0.kind == .directory } ?? 0)
            })
        let outcome = try MigrationExecutor(
            options: CopyOptions(beforeWrite: { path, _ in throw FixtureError("wrote \(path)") })
        ).execute(plan)
        #expect(outcome.isComplete)
        #expect(outcome.reports.map(\.identicalFiles) == [5, 5])
        #expect(outcome.reports.map(\.copiedFiles) == [0, 0])
    }

    @Test("a destination holding different data is refused before anything is written")
    func conflictRefused() throws {
        let host = try MigrateHost.typical()
        let destination = host.dataDirectory + "/qdrant"
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        // Same size as the source's {"state":1}: only the checksum tells them apart.
        try Data(#"{"state":2}"#.utf8).write(to: URL(fileURLWithPath: destination + "/raft_state.json"))
        try Data("{\"other\": true}".utf8).write(to: URL(fileURLWithPath: destination + "/unrelated.json"))
        let plan = try host.planner().plan()
        let qdrantPlan = try #require(plan.services.first { $0.kind == .qdrant })
        #expect(qdrantPlan.glance == DestinationGlance(present: 1, differing: 0))

        let outcome = try MigrationExecutor().execute(plan)
        let qdrant = try #require(outcome.reports.first { $0.service == "qdrant" })
        #expect(qdrant.refusedForConflicts)
        #expect(qdrant.conflicts == ["raft_state.json"])
        #expect(outcome.hasConflicts)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: destination).sorted() == [
                "raft_state.json", "unrelated.json",
            ])
        #expect(FileManager.default.contents(atPath: destination + "/raft_state.json") == Data(#"{"state":2}"#.utf8))
        // The other service is copied all the same: one refusal does not leave the rest undone.
        #expect(outcome.reports.first { $0.service == "ollama" }?.isComplete == true)
    }

    @Test("--overwrite replaces differing files, verifies them and leaves unrelated ones alone")
    func overwrite() throws {
        let host = try MigrateHost.typical()
        let destination = host.dataDirectory + "/qdrant"
        try FileManager.default.createDirectory(atPath: destination + "/aliases", withIntermediateDirectories: true)
        try Data("longer than the source".utf8).write(to: URL(fileURLWithPath: destination + "/aliases/data.json"))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: destination + "/unrelated.json"))
        let outcome = try MigrationExecutor(options: CopyOptions(overwrite: true)).execute(try host.planner().plan())
        let qdrant = try #require(outcome.reports.first { $0.service == "qdrant" })
        #expect(qdrant.isComplete)
        #expect(qdrant.replacedFiles == 1)
        #expect(TreeComparison.differences(source: host.path("/var/lib/qdrant/storage"), copy: destination).isEmpty)
        #expect(FileManager.default.contents(atPath: destination + "/unrelated.json") == Data("keep".utf8))
    }

    @Test("a link out of the tree is copied as what it points at; a dangling one is reported, not copied")
    func escapingLinks() throws {
        let host = try MigrateHost.typical()
        try host.write("/srv/shared/tokenizer.json", "tokens")
        try host.link("/usr/share/ollama/.ollama/models/blobs/sha256-dddd", to: "/srv/shared/tokenizer.json")
        try host.link("/usr/share/ollama/.ollama/models/blobs/gone", to: "../../../../../nowhere")
        let plan = try host.planner().plan()
        let tree = try #require(plan.services.first { $0.kind == .ollama }?.tree)
        #expect(tree.followedLinks == ["/usr/share/ollama/.ollama/models/blobs/sha256-dddd"])
        #expect(tree.passedOver.map(\.path) == ["/usr/share/ollama/.ollama/models/blobs/gone"])
        let outcome = try MigrationExecutor().execute(plan)
        #expect(outcome.isComplete)
        let copied = host.dataDirectory + "/ollama/models/blobs/sha256-dddd"
        #expect(FileCalls.lstatInfo(copied).map(FileCalls.kind) == S_IFREG)
        #expect(FileManager.default.contents(atPath: copied) == Data("tokens".utf8))
    }

    @Test("a loop of links is reported as a loop, not as a link to something that does not exist")
    func linkLoop() throws {
        let host = try MigrateHost.typical()
        try host.link("/usr/share/ollama/.ollama/models/blobs/ping", to: "/usr/share/ollama/.ollama/models/blobs/pong")
        try host.link("/usr/share/ollama/.ollama/models/blobs/pong", to: "ping")
        let tree = try #require(try host.planner().plan().services.first { $0.kind == .ollama }?.tree)
        let reasons = tree.passedOver.map(\.reason)
        #expect(reasons.count == 2 && reasons.allSatisfy { $0.contains("loop of links (ELOOP)") }, "\(reasons)")
        #expect(!reasons.contains { $0.contains("does not exist") })
    }
}
