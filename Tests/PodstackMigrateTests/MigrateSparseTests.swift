import Foundation
import Glibc
import PodstackTestSupport
import Testing

@testable import PodstackMigrate

/// Sparse files keep their holes, and a destination without room is refused before anything is written.
@Suite("Migration copy: holes kept, free space checked first")
struct MigrateSparseTests {
    /// Smaller than the 64 MiB file, whose holes cost minutes of SHA-256 in a debug build; 8 MiB
    /// dense against 8 KiB sparse tells the two apart as clearly.
    static let size: Int64 = 8 << 20
    static let sparse = "/usr/share/ollama/.ollama/models/blobs/sha256-sparse"

    /// An 8 MiB file holding 4 KiB at its start and 4 KiB in its middle: 8 KiB of data, the rest holes.
    static func writeSparse(_ host: MigrateHost) throws -> String {
        let path = host.path(sparse)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        for (offset, seed) in [(Int64(0), UInt64(7)), (size / 2, UInt64(8))] {
            let bytes = MigrateHost.bytes(4_096, seed: seed)
            #expect(bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 4_096, off_t(offset)) } == 4_096)
        }
        #expect(ftruncate(descriptor, off_t(size)) == 0)
        return path
    }

    static func allocated(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_blocks) * 512 : -1
    }

    @Test("an 8 MiB file with 8 KiB of data takes about 8 KiB at the destination too, byte for byte the same")
    func holesStayHoles() throws {
        let host = try MigrateHost.typical()
        let source = try Self.writeSparse(host)
        try #require(Self.allocated(source) < 1 << 20, "this filesystem does not keep holes")
        let outcome = try MigrationExecutor().execute(try host.planner().plan())
        #expect(outcome.isComplete)
        let copy = host.dataDirectory + "/ollama/models/blobs/sha256-sparse"
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: source))
        #expect(Self.allocated(copy) <= Self.allocated(source) + 64 << 10, "\(Self.allocated(copy)) bytes on disk")
    }

    @Test("a copy interrupted after the first data and resumed keeps the holes as well")
    func resumedKeepsHoles() throws {
        struct Interrupted: Error {}
        let host = try MigrateHost.typical()
        let source = try Self.writeSparse(host)
        let partial = host.dataDirectory + "/ollama/models/blobs/.sha256-sparse.podstack-partial"
        // The partial holds the first 4 KiB once its first chunk is written: stop before the middle one.
        let stopping = CopyOptions(
            chunkSize: 4_096,
            beforeWrite: { path, _ in
                var info = stat()
                if path == "blobs/sha256-sparse", stat(partial, &info) == 0, info.st_size > 0 { throw Interrupted() }
            })
        #expect(throws: Interrupted.self) {
            try MigrationExecutor(options: stopping).execute(try host.planner().plan())
        }
        let outcome = try MigrationExecutor(options: CopyOptions(chunkSize: 4_096)).execute(try host.planner().plan())
        let ollama = try #require(outcome.reports.first { $0.service == "ollama" })
        #expect(ollama.isComplete && ollama.resumedFiles == 1)
        let copy = host.dataDirectory + "/ollama/models/blobs/sha256-sparse"
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: source))
        #expect(Self.allocated(copy) <= Self.allocated(source) + 64 << 10, "\(Self.allocated(copy)) bytes on disk")
    }

    @Test(
        "too little free space refuses every copy onto that filesystem, naming needed, free and where; nothing written")
    func refusedForSpace() throws {
        let host = try MigrateHost.typical()
        let options = CopyOptions(freeBytes: { _ in 100_000 })
        let outcome = try MigrationExecutor(options: options).execute(try host.planner().plan())
        #expect(!outcome.isComplete)
        #expect(outcome.reports.count == 2)
        for report in outcome.reports {
            let shortage = try #require(report.spaceShortage)
            #expect(shortage.free == 100_000)
            // ollama's 375,019 bytes and qdrant's 49,000-odd, in whole blocks.
            #expect(shortage.needed >= 375_019 + 49_000)
            #expect(shortage.directory == host.dataDirectory)
            #expect(report.copiedFiles == 0)
        }
        #expect(FileManager.default.subpaths(atPath: host.dataDirectory) == [])
        let text = MigrationRendering.outcome(outcome)
        #expect(text.contains("NOT COPIED: not enough space at \(host.dataDirectory): the copy needs "), "\(text)")
        #expect(text.contains("and 100.0 kB is free"), "\(text)")
    }

    @Test("the room needed counts blocks on disk: an 8 MiB sparse file fits beside the rest in 1 MB")
    func sparseNeedsLittle() throws {
        let host = try MigrateHost.typical()
        _ = try Self.writeSparse(host)
        let outcome = try MigrationExecutor(options: CopyOptions(freeBytes: { _ in 1_000_000 })).execute(
            try host.planner().plan())
        #expect(outcome.isComplete)
    }

    @Test("free space is measured where the destination's nearest existing directory is, with statvfs")
    func measuredWhereItExists() throws {
        let host = try MigrateHost.typical()
        #expect(
            DestinationSpace.existingDirectory(for: host.dataDirectory + "/ollama/models") == host.dataDirectory)
        #expect(DestinationSpace.existingDirectory(for: "/nonexistent-pstest/a/b") == "/")
        let free = try #require(DestinationSpace.freeBytes(at: host.top))
        let foundation = try FileManager.default.attributesOfFileSystem(forPath: host.top)[.systemFreeSize] as? Int64
        #expect(free > 0)
        // statvfs's f_bavail (what an unprivileged writer may use) is at most all free space.
        if let foundation { #expect(free <= foundation + 1 << 20) }
    }
}
