import Foundation
import PodmanAPI
import PodstackBuild
import Testing

/// Podman applies a `.dockerignore` it finds in a context itself: sent everything, its image shows
/// Podman's own verdict on each file, which must be podstack's (`IgnoreRules`) for every file.
@Suite("Ignore rules agree with Podman's", .enabled(if: TestBed.enabled))
struct BuildIgnoreAgreementTests {
    static let ignoreFile = """
        # tricky cases, one per line
        *.md
        !README.md
        **/*.log
        !sub/deep/b.log
        docs
        !docs/keep.md
        build/
        file[0-9]
        x/**/z.txt
        /rooted.txt
        ./dotted/
        """

    static let files = [
        "Dockerfile", ".dockerignore", "README.md", "NOTES.md", "a.log", "sub/a.log", "sub/deep/b.log",
        "sub/deep/c.txt", "docs/keep.md", "docs/drop.txt", "docs/inner/keep.md", "build/out.o", "file7", "filex",
        "x/z.txt", "x/y/w/z.txt", "x/y/other.txt", "rooted.txt", "sub/rooted.txt", "dotted/a", "dotted2/a",
    ]

    @Test("every file of a context with tricky patterns is sent or left out as Podman itself decides")
    func podstackAgreesWithPodman() async throws {
        let client = try TestBed.client()
        let root = NSTemporaryDirectory() + TestBed.uniqueName("build-agree")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for file in Self.files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let text =
                file == "Dockerfile"
                ? "FROM \(TestBed.genericImage)\n\(BuildIntegrationTests.ownChain)\nCOPY . /ctx\n" : file == ".dockerignore" ? Self.ignoreFile : file
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        let image = "localhost/" + TestBed.uniqueName("build-agree") + ":latest"
        // Everything is sent: what is missing from the image, Podman left out.
        let built = await BuildIntegrationTests.attempt {
            try await BuildIntegrationTests.build(
                client, root: root, options: Podman.BuildOptions(tags: [image]), rules: .empty)
        }
        let listing = await BuildIntegrationTests.attempt {
            try await BuildIntegrationTests.read(client, image: image, script: "cd /ctx && find . -type f")
        }
        try? await client.removeImage(image, force: true)
        _ = try built.get()
        let keptByPodman = Set(try listing.get().split(separator: "\n").map { String($0.dropFirst(2)) })
        let rules = try IgnoreRules(text: Self.ignoreFile, file: ".dockerignore")
            .keeping([".dockerignore", "Dockerfile"])
        let keptByPodstack = Set(Self.files.filter { !rules.excludes($0) })
        #expect(keptByPodstack == keptByPodman)
        #expect(keptByPodstack.contains("sub/deep/b.log") && !keptByPodstack.contains("NOTES.md"))
    }
}
