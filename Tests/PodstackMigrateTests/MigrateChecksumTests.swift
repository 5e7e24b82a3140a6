import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackMigrate

@Suite("SHA-256 for migration")
struct MigrateChecksumTests {
    /// FIPS 180-2 appendix B and the NIST short-message vectors, including inputs that end at, just
    /// before and just after the padding boundaries (55, 56, 64 bytes).
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
        (
            "The quick brown fox jumps over the lazy dog",
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        ),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    ]

    @Test("the digest matches the published vectors", arguments: vectors)
    func publishedVectors(input: String, digest: String) {
        #expect(SHA256.hexDigest(of: Array(input.utf8)) == digest)
    }

    @Test("a million 'a' in uneven pieces gives the published digest")
    func millionA() {
        var hasher = SHA256()
        let piece = [UInt8](repeating: 0x61, count: 7_919)
        var left = 1_000_000
        while left > 0 {
            let count = min(left, piece.count)
            piece[0..<count].withUnsafeBytes { hasher.update($0) }
            left -= count
        }
        #expect(hasher.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(
        "feeding bytes in any split gives the same digest as feeding them at once", arguments: [1, 3, 63, 64, 65, 1000])
    func splits(size: Int) {
        let bytes = MigrateHost.bytes(5_000, seed: UInt64(size))
        var hasher = SHA256()
        var index = 0
        while index < bytes.count {
            let end = min(index + size, bytes.count)
            hasher.update(bytes[index..<end])
            index = end
        }
        #expect(hasher.hexDigest() == SHA256.hexDigest(of: bytes))
    }

    @Test("the digest agrees with the system's sha256sum when it is installed")
    func agreesWithSha256sum() throws {
        let tool = "/usr/bin/sha256sum"
        guard FileManager.default.isExecutableFile(atPath: tool) else { return }
        let bytes = MigrateHost.bytes(123_457, seed: 99)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-sha-\(getpid())")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try ChildProcess(tool, [file.path]).finishNow().stdout
        #expect(output.split(separator: " ").first.map(String.init) == SHA256.hexDigest(of: bytes))
    }
}
