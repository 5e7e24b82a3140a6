import Foundation
import Testing

@testable import PodstackCompose

/// Compose files written by others (Tests/Fixtures/real-world, each with a first line naming its repository
/// and path), loaded one project each as `podstack config -f FILE` would. What each does today is pinned in
/// expected-outcomes.tsv: a file that loads must keep loading, and a refusal must keep its reason until a
/// change means to alter it. `PODSTACK_WRITE_CORPUS_OUTCOMES=1` rewrites the file from what happens now.
/// What podman-compose 1.6.0's `config` makes of each project is pinned in podman-compose-outcomes.tsv,
/// which scripts/corpus-podman-compose.sh writes by hand (it needs PyPI); issue 16's figure, of the
/// projects podman-compose accepts how many podstack loads, is pinned in expected-outcomes.tsv's header.
@Suite("Real-world compose files")
struct RealWorldCorpusTests {
    static let corpus = repositoryRoot().appendingPathComponent("Tests/Fixtures/real-world")
    static let outcomesFile = corpus.appendingPathComponent("expected-outcomes.tsv")
    static let podmanComposeFile = corpus.appendingPathComponent("podman-compose-outcomes.tsv")
    static let podmanComposeScript = "scripts/corpus-podman-compose.sh"
    static let writing = ProcessInfo.processInfo.environment["PODSTACK_WRITE_CORPUS_OUTCOMES"] == "1"

    /// podstack's outcome of every project, loaded once for the tests that compare it.
    static let current: [String: String] = {
        var outcomes: [String: String] = [:]
        for project in projects(pins(in: outcomesFile)) { outcomes[project] = outcome(of: files(of: project)) }
        return outcomes
    }()

    @Test("every file of the corpus loads or is refused as pinned, and the tally is printed")
    func corpusOutcomes() throws {
        let pinned = Self.pins(in: Self.outcomesFile)
        let actual = Self.current
        let podmanCompose = Self.pins(in: Self.podmanComposeFile)
        if Self.writing {
            let figure = IssueFigure(podstack: actual, podmanCompose: podmanCompose)
            try Self.write(actual.merging(pinned.filter { $0.value == Self.helper }) { new, _ in new }, figure: figure)
        }
        print(Self.tally(actual, acceptedBy: podmanCompose))
        print(Self.tally(Self.everyReason(of: Self.projects(pinned))))
        #expect(actual.count >= 60, "the corpus should hold at least 60 projects")
        for (path, outcome) in actual.sorted(by: { $0.key < $1.key }) {
            #expect(pinned[path] == outcome, "\(path): pinned '\(pinned[path] ?? "nothing")', now '\(outcome)'")
        }
        for path in pinned.keys where pinned[path] != Self.helper && actual[path] == nil {
            Issue.record("\(path) is pinned but is not in the corpus")
        }
    }

    @Test("every project has podman-compose's outcome pinned, and only the corpus's projects have one")
    func podmanComposeOutcomes() {
        let projects = Set(Self.projects(Self.pins(in: Self.outcomesFile)))
        let podmanCompose = Self.pins(in: Self.podmanComposeFile)
        let rerun = "run \(Self.podmanComposeScript) (by hand: it installs podman-compose 1.6.0 from PyPI)"
        for project in projects.sorted() where podmanCompose[project] == nil {
            Issue.record("\(project) has no pin in podman-compose-outcomes.tsv: \(rerun)")
        }
        for (path, outcome) in podmanCompose.sorted(by: { $0.key < $1.key }) {
            if !projects.contains(path) {
                Issue.record("\(path) is pinned in podman-compose-outcomes.tsv but is no project: \(rerun)")
            }
            #expect(outcome == "accepts" || outcome.hasPrefix("refuses: "), "\(path): '\(outcome)' is no outcome")
        }
    }

    @Test("of the projects podman-compose accepts, podstack loads as many as pinned (issue 16's figure)")
    func issueFigure() throws {
        let figure = IssueFigure(podstack: Self.current, podmanCompose: Self.pins(in: Self.podmanComposeFile))
        print("issue 16: " + figure.sentence)
        #expect(figure.accepted > 0, "podman-compose-outcomes.tsv accepts nothing: run \(Self.podmanComposeScript)")
        // The outcomes test writes the pin in this mode, maybe after this test has read the file.
        if Self.writing { return }
        let text = try String(contentsOf: Self.outcomesFile, encoding: .utf8)
        guard let pinned = IssueFigure(pinnedIn: text) else {
            Issue.record(
                "expected-outcomes.tsv has no line '\(IssueFigure.prefix)…': PODSTACK_WRITE_CORPUS_OUTCOMES=1 writes it"
            )
            return
        }
        if figure.loads < pinned.loads {
            Issue.record(
                "podstack loads fewer files podman-compose accepts: pinned '\(pinned.sentence)', now '\(figure.sentence)'"
            )
        } else if figure != pinned {
            Issue.record(
                "issue 16's figure is now '\(figure.sentence)', pinned '\(pinned.sentence)': re-pin it with PODSTACK_WRITE_CORPUS_OUTCOMES=1"
            )
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

    /// Refusal reasons by count, then the number that load: the table compose/README.md shows, with how many
    /// of each podman-compose accepts when its outcomes are given.
    static func tally(_ outcomes: [String: String], acceptedBy podmanCompose: [String: String]? = nil) -> String {
        var counts: [String: (all: Int, accepted: Int)] = [:]
        for (path, outcome) in outcomes {
            var count = counts[outcome, default: (0, 0)]
            count.all += 1
            if podmanCompose?[path] == "accepts" { count.accepted += 1 }
            counts[outcome] = count
        }
        let sorted = counts.sorted { ($0.value.all, $1.key) > ($1.value.all, $0.key) }
        guard podmanCompose != nil else {
            return (["| files | outcome |", "| ---: | --- |"] + sorted.map { "| \($0.value.all) | \($0.key) |" })
                .joined(separator: "\n")
        }
        let header = ["| files | podman-compose accepts | outcome |", "| ---: | ---: | --- |"]
        let rows = sorted.map { "| \($0.value.all) | \($0.value.accepted) | \($0.key) |" }
        return (header + rows).joined(separator: "\n")
    }

    static func corpusFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: corpus.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".yml") || path.hasSuffix(".yaml") { files.append(path) }
        }
        return files.sorted()
    }

    /// The `path<TAB>outcome` lines of a pins file; `#` lines are its header.
    static func pins(in file: URL) -> [String: String] {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        var outcomes: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if fields.count == 2 { outcomes[fields[0]] = fields[1] }
        }
        return outcomes
    }

    static func write(_ outcomes: [String: String], figure: IssueFigure) throws {
        let header = "# path\toutcome (pinned by RealWorldCorpusTests; PODSTACK_WRITE_CORPUS_OUTCOMES=1 rewrites it)\n"
        let lines = outcomes.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }
        let text = header + IssueFigure.prefix + figure.sentence + "\n" + lines.joined()
        try text.write(to: outcomesFile, atomically: true, encoding: .utf8)
    }
}

/// Issue 16's yardstick: of the projects podman-compose accepts, how many podstack loads.
struct IssueFigure: Equatable {
    static let prefix = "# issue 16's figure: "
    let accepted: Int
    let loads: Int

    init(podstack: [String: String], podmanCompose: [String: String]) {
        let accepted = podstack.keys.filter { podmanCompose[$0] == "accepts" }
        self.accepted = accepted.count
        loads = accepted.filter { podstack[$0] == "loads" }.count
    }

    /// The figure from its line in expected-outcomes.tsv, as `sentence` writes it.
    init?(pinnedIn text: String) {
        let pattern =
            /of the (\d+) projects podman-compose accepts \(podman-compose-outcomes.tsv\), podstack loads (\d+)/
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(Self.prefix) }),
            let match = line.firstMatch(of: pattern), let accepted = Int(match.1), let loads = Int(match.2)
        else { return nil }
        self.accepted = accepted
        self.loads = loads
    }

    var sentence: String {
        let percent = String(format: "%.1f", accepted == 0 ? 0 : Double(loads) * 100 / Double(accepted))
        let projects = "of the \(accepted) projects podman-compose accepts (podman-compose-outcomes.tsv)"
        return "\(projects), podstack loads \(loads) (\(percent)%; the goal is 90%)"
    }
}
