import Foundation
import Glibc
import PodstackTestSupport
import Synchronization
import Testing

@testable import PodstackMigrate

/// A writer still at work on the source (ollama pulling a model) while the copy reads it: the copy must
/// not call such a file verified, must not place it, and must say what to stop.
@Suite("Migration copy: a source that changes while it is copied")
struct MigrateMovingSourceTests {
    static let blob = "/usr/share/ollama/.ollama/models/blobs/sha256-aaaa"

    /// Options whose hook runs `change` when the copy is about to write the big blob's second chunk: its
    /// first chunk has been read and written by then.
    static func changing(_ change: @escaping @Sendable () throws -> Void) -> CopyOptions {
        let calls = Mutex(0)
        return CopyOptions(
            chunkSize: 4_096,
            beforeWrite: { path, _ in
                guard path == "blobs/sha256-aaaa" else { return }
                let call = calls.withLock { count in
                    count += 1
                    return count
                }
                if call == 2 { try change() }
            })
    }

    @Test("a blob that grows during the copy is reported changed, not verified, not placed; a rerun finishes it")
    func appended() throws {
        let host = try MigrateHost.typical()
        let path = host.path(Self.blob)
        let options = Self.changing {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(MigrateHost.bytes(200_000, seed: 9)))
            try handle.close()
        }
        let outcome = try MigrationExecutor(options: options).execute(try host.planner().plan())
        #expect(!outcome.isComplete)
        let ollama = try #require(outcome.reports.first { $0.service == "ollama" })
        #expect(ollama.changedWhileCopied.map(\.path) == [Self.blob])
        #expect(ollama.verifiedFiles == 4)
        #expect(!outcome.completeServices.contains("ollama"))
        let target = host.dataDirectory + "/ollama/models/blobs/sha256-aaaa"
        #expect(!FileManager.default.fileExists(atPath: target))
        let text = MigrationRendering.outcome(outcome)
        #expect(text.contains("CHANGED WHILE COPIED: \(Self.blob): it changed size"), "\(text)")
        #expect(text.contains("sudo systemctl stop ollama.service"), "\(text)")

        // The writer has stopped: the next run copies the file as it now is.
        let rerun = try MigrationExecutor().execute(try host.planner().plan())
        #expect(rerun.isComplete)
        #expect(FileManager.default.contents(atPath: target) == FileManager.default.contents(atPath: path))
        #expect(FileManager.default.contents(atPath: target)?.count == 500_000)
    }

    @Test("bytes already read that are rewritten in place, size and mtime put back, are still caught")
    func rewrittenInPlace() throws {
        let host = try MigrateHost.typical()
        let path = host.path(Self.blob)
        let options = Self.changing {
            let descriptor = open(path, O_WRONLY)
            guard descriptor >= 0 else { return }
            _ = [UInt8](repeating: 0xAB, count: 16).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 16, 0) }
            var times = [
                timespec(tv_sec: 1_700_000_000, tv_nsec: 123_456_789),
                timespec(tv_sec: 1_700_000_000, tv_nsec: 123_456_789),
            ]
            futimens(descriptor, &times)
            close(descriptor)
        }
        let outcome = try MigrationExecutor(options: options).execute(try host.planner().plan())
        let ollama = try #require(outcome.reports.first { $0.service == "ollama" })
        #expect(ollama.changedWhileCopied.map(\.path) == [Self.blob])
        #expect(!ollama.isComplete)
        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory + "/ollama/models/blobs/sha256-aaaa"))
    }

    @Test("the plan tells the user to stop a running ollama too, not only the databases")
    func planSaysStopEveryUnit() throws {
        let host = try MigrateHost.typical()
        let plan = try host.planner(running: ["ollama.service", "qdrant.service"]).plan()
        let ollama = try #require(plan.services.first { $0.kind == .ollama })
        #expect(ollama.notes.contains { $0.contains("sudo systemctl stop ollama.service") }, "\(ollama.notes)")
        let qdrant = try #require(plan.services.first { $0.kind == .qdrant })
        #expect(qdrant.notes.filter { $0.contains("sudo systemctl stop qdrant.service") }.count == 1, "\(qdrant.notes)")
    }
}
