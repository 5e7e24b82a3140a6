import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackBuild

/// The context archive read back by GNU tar: what it lists and what it extracts.
@Suite("Context archive")
struct ContextArchiveTests {
    /// A 150-byte path: over ustar's 100-byte name field, so it needs a pax header.
    static let longDirectory = String(repeating: "d", count: 70) + "/" + String(repeating: "e", count: 40)
    static let longName = longDirectory + "/" + String(repeating: "f", count: 38) + ".txt"

    /// A context with nested and long names, an executable, a symlink with a long target, a file spanning
    /// several buffers, and files the ignore file leaves out.
    static func makeContext() throws -> String {
        let root = NSTemporaryDirectory() + "pstest-build-ctx-\(UUID().uuidString.prefix(8))"
        let files = FileManager.default
        try files.createDirectory(atPath: root + "/src/nested", withIntermediateDirectories: true)
        try files.createDirectory(atPath: root + "/" + longDirectory, withIntermediateDirectories: true)
        try files.createDirectory(atPath: root + "/docs", withIntermediateDirectories: true)
        try Data("FROM scratch\n".utf8).write(to: URL(fileURLWithPath: root + "/Dockerfile"))
        try Data("docs\n!docs/keep.md\n*.secret\n".utf8).write(to: URL(fileURLWithPath: root + "/.dockerignore"))
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: root + "/docs/keep.md"))
        try Data("dropped\n".utf8).write(to: URL(fileURLWithPath: root + "/docs/drop.md"))
        try Data("hidden\n".utf8).write(to: URL(fileURLWithPath: root + "/token.secret"))
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: root + "/src/run.sh"))
        chmod(root + "/src/run.sh", 0o755)
        var big = Data(count: 200_003)
        for index in 0..<big.count { big[index] = UInt8(truncatingIfNeeded: index &* 31) }
        try big.write(to: URL(fileURLWithPath: root + "/src/nested/big.bin"))
        try Data("long\n".utf8).write(to: URL(fileURLWithPath: root + "/" + longName))
        try files.createSymbolicLink(atPath: root + "/src/link", withDestinationPath: "../" + longName)
        return root
    }

    /// The whole archive, read through a buffer of an awkward size so that every boundary is crossed.
    static func archive(of root: String, added: [AddedMember] = []) throws -> Data {
        let rules = try IgnoreRules.forContext(directory: root, dockerfile: "Dockerfile")
        let archive = try ContextArchive(directory: root, rules: rules, added: added)
        var data = Data()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 777, alignment: 1)
        defer { buffer.deallocate() }
        while case let count = try archive.read(into: buffer), count > 0 {
            data.append(contentsOf: buffer.prefix(count))
        }
        #expect(archive.bytesProduced == data.count)
        return data
    }

    /// Writes the archive of `root` beside it (`root.tar`) and extracts it with GNU tar into `root-out`.
    static func extract(_ root: String, added: [AddedMember] = []) async throws -> (archive: String, extracted: String) {
        let archivePath = root + ".tar"
        let extracted = root + "-out"
        try Self.archive(of: root, added: added).write(to: URL(fileURLWithPath: archivePath))
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        _ = try await Self.run(["-xf", archivePath, "-C", extracted])
        return (archivePath, extracted)
    }

    /// Removes a context and what `extract` made beside it.
    static func remove(_ root: String) {
        for path in [root, root + ".tar", root + "-out"] { try? FileManager.default.removeItem(atPath: path) }
    }

    static func run(_ arguments: [String]) async throws -> String {
        let child = try ChildProcess("/usr/bin/tar", arguments)
        let result = await child.finish(within: .seconds(60))
        #expect(result.status == 0, "tar \(arguments): \(result.stderr)")
        return result.stdout
    }

    @Test("tar lists what the ignore file lets through, with modes, symlinks and long names")
    func tarListsTheContext() async throws {
        let root = try Self.makeContext()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let archivePath = root + ".tar"
        defer { try? FileManager.default.removeItem(atPath: archivePath) }
        try Self.archive(of: root).write(to: URL(fileURLWithPath: archivePath))
        let listing = try await Self.run(["-tvf", archivePath])
        let names = try await Self.run(["-tf", archivePath]).split(separator: "\n").map(String.init)
        #expect(
            Set(names) == [
                ".dockerignore", "Dockerfile", "docs/keep.md", "src/", "src/link", "src/nested/",
                "src/nested/big.bin", "src/run.sh", String(repeating: "d", count: 70) + "/", Self.longDirectory + "/",
                Self.longName,
            ])
        // Excluded: the directory itself (only its excepted file comes), its other file, the secret.
        #expect(!names.contains("docs/"))
        #expect(listing.contains("-rwxr-xr-x 0/0"), "\(listing)")
        #expect(listing.contains("src/link -> ../" + Self.longName), "\(listing)")
        #expect(listing.contains("200003"), "\(listing)")
    }

    @Test("tar extracts every file byte for byte")
    func tarExtractsTheFiles() async throws {
        let root = try Self.makeContext()
        defer { Self.remove(root) }
        let (_, extracted) = try await Self.extract(root)
        for file in ["src/nested/big.bin", "src/run.sh", "docs/keep.md", Self.longName, "Dockerfile"] {
            let original = FileManager.default.contents(atPath: root + "/" + file)
            #expect(
                original != nil && FileManager.default.contents(atPath: extracted + "/" + file) == original, "\(file)")
        }
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: extracted + "/src/link")
        #expect(target == "../" + Self.longName)
        #expect(!FileManager.default.fileExists(atPath: extracted + "/token.secret"))
        #expect(!FileManager.default.fileExists(atPath: extracted + "/docs/drop.md"))
    }

    @Test("added files come first, with their mode and content, and stand in for a context file of their name")
    func addedFilesComeFirst() async throws {
        let root = try Self.makeContext()
        defer { Self.remove(root) }
        let added = [
            AddedMember(name: "Dockerfile", contents: Array("FROM inline\n".utf8)),
            AddedMember(name: ".secret-a", contents: [0, 1, 2, 255], mode: 0o600),
        ]
        let (archivePath, extracted) = try await Self.extract(root, added: added)
        let names = try await Self.run(["-tf", archivePath]).split(separator: "\n").map(String.init)
        #expect(Array(names.prefix(2)) == ["Dockerfile", ".secret-a"], "\(names)")
        #expect(names.filter { $0 == "Dockerfile" }.count == 1, "the context's own Dockerfile is left out")
        #expect(names.contains("src/run.sh"))
        #expect(try await Self.run(["-tvf", archivePath]).contains("-rw------- 0/0"))
        #expect(FileManager.default.contents(atPath: extracted + "/Dockerfile") == Data("FROM inline\n".utf8))
        #expect(FileManager.default.contents(atPath: extracted + "/.secret-a") == Data([0, 1, 2, 255]))
    }

    @Test("the archive is a whole number of blocks and the same from run to run")
    func archiveIsDeterministic() throws {
        let root = try Self.makeContext()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = try Self.archive(of: root)
        #expect(first.count % 512 == 0)
        #expect(try Self.archive(of: root) == first)
    }

    @Test("a context that is not a directory is refused with its path")
    func missingContext() {
        #expect(throws: BuildContextError.notADirectory(path: "/nonexistent/pstest-build")) {
            try ContextArchive(directory: "/nonexistent/pstest-build", rules: .empty)
        }
    }

    @Test("pax records count their own length")
    func paxRecordLength() {
        let record = String(
            decoding: TarHeader.paxRecords([("path", String(repeating: "a", count: 93))]), as: UTF8.self)
        // " path=" (6) + 93 + "\n" (1) = 100, plus three digits: 103.
        #expect(record.hasPrefix("103 path="))
        #expect(record.utf8.count == 103)
    }
}
