import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackCompose

/// Random projects of several files that merge, extend and include each other, loops and all: whatever
/// they hold, the load ends with a stack or with issues that each say something.
@Suite("Random projects of several files")
struct MergeFuzzTests {
    static let fileNames = ["a.yml", "b.yml", "c.yml"]

    @Test("random files that merge, extend and include each other never crash or hang the loader")
    func randomProjects() throws {
        var random = SeededGenerator(state: 16)
        var outcomes = Set<Bool>()
        for _ in 0..<200 {
            let directory = try ScratchDirectory()
            let files = try Self.fileNames.map { name in
                try directory.write(name, Self.randomFile(using: &random))
            }
            outcomes.insert(try expectLoadEnds { try $0.load(projectFiles: Array(files.prefix(2))) })
            outcomes.insert(try expectLoadEnds { try $0.load(files: files) })
        }
        // Both outcomes occur, so the inputs reach past the first check.
        #expect(outcomes == [true, false])
    }

    @Test("random mutations of real files, merged in pairs, never crash or hang the loader")
    func mutatedPairs() throws {
        var random = SeededGenerator(state: 61)
        let corpus = RealWorldCorpusTests.corpusFiles().map { RealWorldCorpusTests.corpus.appendingPathComponent($0) }
        let texts = try corpus.map { try String(contentsOf: $0, encoding: .utf8) }
        let directory = try ScratchDirectory()
        for round in 0..<150 {
            let pair = (0..<2).map { _ in Self.mutate(texts.randomElement(using: &random) ?? "", using: &random) }
            let files = try pair.enumerated().map { index, text in try directory.write("\(round)-\(index).yml", text) }
            _ = try expectLoadEnds { try $0.load(projectFiles: files) }
        }
    }

    /// A file of random services whose keys merge by different rules, with tags, anchors, extends and
    /// includes that may point anywhere, the file itself included.
    static func randomFile(using random: inout SeededGenerator) -> String {
        var lines = ["x-anchor: &shared", "  image: shared", "  environment: [A=1]"]
        if Bool.random(using: &random) { lines.insert("name: p\(Int.random(in: 0..<2, using: &random))", at: 0) }
        if Int.random(in: 0..<3, using: &random) == 0 {
            lines += ["include: [\(fileNames.randomElement(using: &random) ?? "a.yml")]"]
        }
        lines.append("services:")
        for service in ["s", "t", "u"].shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)) {
            lines.append("  \(service):")
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                lines.append(serviceLine(using: &random))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func serviceLine(using random: inout SeededGenerator) -> String {
        let tag = ["", "", "!reset ", "!override ", "!bogus "].randomElement(using: &random) ?? ""
        let target = ["s", "t", "u", "nothing"].randomElement(using: &random) ?? "s"
        let file = fileNames.randomElement(using: &random) ?? "a.yml"
        let choices = [
            "    image: x\(Int.random(in: 0..<3, using: &random))", "    <<: *shared",
            "    ports: \(tag)[\"\(Int.random(in: 8000...8003, using: &random)):80\"]",
            "    environment: \(tag){B: \(Int.random(in: 0..<3, using: &random))}",
            "    environment: \(tag)[C=1, A]", "    command: \(tag)[run, it]", "    labels: \(tag)[l=1]",
            "    volumes: \(tag)[\"/srv/\(Int.random(in: 0..<2, using: &random)):/data\"]",
            "    depends_on: \(tag)[\(target)]", "    depends_on: {\(target): {condition: service_healthy}}",
            "    extends: \(target)", "    extends: {file: \(file), service: \(target)}", "    user: \(tag)me",
            "    healthcheck: {test: [CMD, true], interval: \(tag)5s}", "    profiles: [p]",
        ]
        return choices.randomElement(using: &random) ?? "    image: x"
    }

    static func mutate(_ original: String, using random: inout SeededGenerator) -> String {
        var text = Array(original)
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let position = Int.random(in: 0...text.count, using: &random)
            let fragment =
                ([" !reset", " !override", "<<: *a", "&a ", "extends: s", "include: [x.yml]", "\n  "]
                + FuzzTests.fragments).randomElement(using: &random) ?? ""
            text.insert(contentsOf: fragment, at: position)
        }
        return String(text)
    }

    /// Runs a load; true when it gave a stack. A hang shows as a test that does not end.
    private func expectLoadEnds(_ load: (StackLoader) throws -> Stack) throws -> Bool {
        do {
            _ = try load(StackLoader(environment: testEnvironment()))
            return true
        } catch let error as StackLoadError {
            #expect(!error.issues.isEmpty)
            #expect(error.issues.allSatisfy { !$0.message.isEmpty })
            return false
        }
    }
}
