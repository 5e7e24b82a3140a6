import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackMigrate

/// Tests run as root in CI, where mode 000 stops nothing; the access seam answers EACCES instead.
@Suite("Migration copy: files the user cannot read")
struct MigrateUnreadableTests {
    @Test("unreadable files and directories are named in the plan and in the outcome, and the rest is copied")
    func reportedNotSkipped() throws {
        let host = try MigrateHost.typical()
        let deniedFile = host.path("/usr/share/ollama/.ollama/models/blobs/sha256-bbbb")
        let deniedDirectory = host.path("/var/lib/qdrant/storage/collections/docs/segments/seg-2")
        let access = DenyingAccess(denied: [deniedFile, deniedDirectory])
        let plan = try host.planner(access: access).plan()
        #expect(
            plan.services.first { $0.kind == .ollama }?.tree?.unreadable == [
                "/usr/share/ollama/.ollama/models/blobs/sha256-bbbb"
            ])
        #expect(
            plan.services.first { $0.kind == .qdrant }?.tree?.unreadable == [
                "/var/lib/qdrant/storage/collections/docs/segments/seg-2"
            ])
        #expect(plan.unreadableSources == ["/usr/share/ollama/.ollama/models", "/var/lib/qdrant/storage"])

        let outcome = try MigrationExecutor(options: CopyOptions(access: access)).execute(plan)
        #expect(!outcome.isComplete)
        #expect(outcome.completeServices.isEmpty)
        #expect(
            outcome.reports.first { $0.service == "ollama" }?.unreadable == [
                "/usr/share/ollama/.ollama/models/blobs/sha256-bbbb"
            ])
        #expect(outcome.reports.first { $0.service == "ollama" }?.copiedFiles == 4)
        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory + "/ollama/models/blobs/sha256-bbbb"))
        #expect(
            FileManager.default.fileExists(
                atPath: host.dataDirectory + "/qdrant/collections/docs/segments/seg-1/data.bin"))
    }

    @Test("a file that becomes unreadable between plan and copy is still reported")
    func deniedAtCopyTime() throws {
        let host = try MigrateHost.typical()
        let plan = try host.planner().plan()
        let denied = host.path("/var/lib/qdrant/storage/raft_state.json")
        let outcome = try MigrationExecutor(options: CopyOptions(access: DenyingAccess(denied: [denied]))).execute(plan)
        #expect(
            outcome.reports.first { $0.service == "qdrant" }?.unreadable == ["/var/lib/qdrant/storage/raft_state.json"])
        #expect(!outcome.isComplete)
    }

    @Test("the advice names the exact commands: an ACL for the user on each source, or the copy run with sudo")
    func advice() {
        let advice = MigrationAdvice.unreadable(
            sources: ["/var/lib/qdrant/storage"], user: "alice",
            rerun:
                "sudo env PODSTACK_DATA_DIR=/home/alice/.local/share/podman-ai-stack /usr/local/bin/podstack migrate --execute"
        )
        #expect(advice.contains("sudo setfacl -R -m u:alice:rX /var/lib/qdrant/storage"))
        #expect(advice.contains("sudo setfacl -m u:alice:x /var /var/lib /var/lib/qdrant"))
        #expect(
            advice.contains(
                "sudo env PODSTACK_DATA_DIR=/home/alice/.local/share/podman-ai-stack /usr/local/bin/podstack migrate --execute"
            ))
    }
}
