import Foundation
import PodstackCLI
import Testing

/// `--version`: the release number and the commit of the build. scripts/build-release.sh stamps the commit
/// in; a plain `swift build` (what `swift test` runs) says "unknown". PODSTACK_BINARY=<a release binary>
/// checks a stamped one.
@Suite("podstack --version")
struct VersionTests {
    @Test("--version prints the release number and a commit id, or 'unknown' for an unstamped build")
    func versionNamesTheCommit() async throws {
        let result = try await PodstackProcess().run(["--version"])
        #expect(result.status == 0)
        let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = "\(PodstackCommand.version) (commit "
        #expect(line.hasPrefix(prefix) && line.hasSuffix(")"), "got '\(line)'")
        let commit = String(line.dropFirst(prefix.count).dropLast())
        #expect(commit.wholeMatch(of: /unknown|[0-9a-f]{7,40}(-dirty)?/) != nil, "commit '\(commit)'")
    }
}
