import Foundation
import Testing

@testable import PodstackCompose

/// Compose files written by others (Tests/Fixtures/real-world, each with a first line naming its repository
/// and path), loaded one project each as `podstack config -f FILE` would. What each does today is pinned in
/// expected-outcomes.tsv: a file that loads must keep loading, and a refusal must keep its reason until a
/// change means to alter it. `PODSTACK_WRITE_CORPUS_OUTCOMES=1` rewrites the file from what happens now.
@Suite("Real-world compose files")
struct RealWorldCorpusTests {
    static let corpus = repositoryRoot().appendingPathComponent("Tests/Fixtures/real-world")
    static let outcomesFile = corpus.appendingPathComponent("expected-outcomes.tsv")

    @Test("every file of the corpus loads or is refused as pinned, and the tally is printed")
    func corpusOutcomes() throws {
        let pinned = try Self.pinnedOutcomes()
        var actual: [String: String] = [:]
        for project in Self.projects(pinned) {
            actual[project] = Self.outcome(of: Self.files(of: project))
        }
        if ProcessInfo.processInfo.environment["PODSTACK_WRITE_CORPUS_OUTCOMES"] == "1" {
            try Self.write(actual.merging(pinned.filter { $0.value == Self.helper }) { new, _ in new })
        }
        print(Self.tally(actual))
        print(Self.tally(Self.everyReason(of: Self.projects(pinned))))
        #expect(actual.count >= 60, "the corpus should hold at least 60 projects")
        for (path, outcome) in actual.sorted(by: { $0.key < $1.key }) {
            #expect(pinned[path] == outcome, "\(path): pinned '\(pinned[path] ?? "nothing")', now '\(outcome)'")
        }
        for path in pinned.keys where pinned[path] != Self.helper && actual[path] == nil {
            Issue.record("\(path) is pinned but is not in the corpus")
        }
    }

    static let helper = "helper (read through another file's extends or include)"

    /// Each file on its own, except the helpers, and the projects of several files that the outcomes file
    /// names as `a.yml + b.yml` (merged in that order, as `-f a.yml -f b.yml`).
    static func projects(_ pinned: [String: String]) -> [String] {
        corpusFiles().filter { pinned[$0] != helper } + pinned.keys.filter { $0.contains(" + ") }.sorted()
    }

    static func files(of project: String) -> [URL] {
        project.components(separatedBy: " + ").map { corpus.appendingPathComponent($0) }
    }

    /// `loads`, or `refused: ` and the first issue's message with service and file names taken out, so that
    /// the same reason counts once whichever service has it.
    static func outcome(of files: [URL]) -> String {
        do {
            _ = try StackLoader(environment: testEnvironment()).load(projectFiles: files)
            return "loads"
        } catch {
            return "refused: " + reason(error.issues.first?.message ?? "no message")
        }
    }

    /// Every distinct reason of every refused file (a file refused for two keys counts for both): which keys
    /// would let the most files load.
    static func everyReason(of paths: [String]) -> [String: String] {
        var reasons: [String: String] = [:]
        for path in paths {
            do {
                _ = try StackLoader(environment: testEnvironment()).load(projectFiles: files(of: path))
            } catch {
                for (index, message) in Set(error.issues.map { reason($0.message) }).sorted().enumerated() {
                    reasons["\(path)#\(index)"] = message
                }
            }
        }
        return reasons
    }

    static func reason(_ message: String) -> String {
        var reason = message.replacingOccurrences(of: corpus.path + "/", with: "")
        for pattern in [
            #"services '[^']*' and '[^']*'"#, #"service '[^']*'"#, #"bind source '[^']*'"#, #"pod '[^']*'"#,
            #"volume '[^']*'"#, #"variable [A-Z_0-9]+"#, #"(file|env_file) '[^']*'"#,
        ] {
            while let range = reason.range(of: pattern, options: .regularExpression) {
                let kind = reason[range].split(separator: " ").first.map(String.init) ?? ""
                reason.replaceSubrange(range, with: "\(kind) …")
            }
        }
        return reason
    }

    /// Refusal reasons by count, then the number that load: the table compose/README.md shows.
    static func tally(_ outcomes: [String: String]) -> String {
        var counts: [String: Int] = [:]
        for outcome in outcomes.values { counts[outcome, default: 0] += 1 }
        let rows = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "| \($0.value) | \($0.key) |" }
        return (["| files | outcome |", "| ---: | --- |"] + rows).joined(separator: "\n")
    }

    static func corpusFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: corpus.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".yml") || path.hasSuffix(".yaml") { files.append(path) }
        }
        return files.sorted()
    }

    static func pinnedOutcomes() throws -> [String: String] {
        let text = (try? String(contentsOf: outcomesFile, encoding: .utf8)) ?? ""
        var outcomes: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if fields.count == 2 { outcomes[fields[0]] = fields[1] }
        }
        return outcomes
    }

    static func write(_ outcomes: [String: String]) throws {
        let header = "# path\toutcome (pinned by RealWorldCorpusTests; PODSTACK_WRITE_CORPUS_OUTCOMES=1 rewrites it)\n"
        let lines = outcomes.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }
        try (header + lines.joined()).write(to: outcomesFile, atomically: true, encoding: .utf8)
    }
}
