import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackCompose

@Suite("Random input")
struct FuzzTests {
    /// Pieces that steer mutations towards the parser's and interpolator's edges.
    static let fragments = [
        "${", "}", "$", "$$", ":-", ":?", "\n", "  ", "- ", ": ", "\"", "'", "&a", "*a", "<<: *a", "[", "]", "{", "}",
        "99999999999999999999", "-1", "0", ":", "/udp", "../../", "~", "\t", "#", "null", "~/", "\u{0}", "é",
    ]

    @Test("random bytes never crash or hang the loader, and every failure is a located or explained issue")
    func randomBytes() throws {
        var random = SeededGenerator(state: 2024)
        let directory = try ScratchDirectory()
        for round in 0..<300 {
            let length = Int.random(in: 0..<400, using: &random)
            // Every other round stays in printable ASCII, so that the YAML parser, not the UTF-8 check, sees it.
            let range: ClosedRange<UInt8> = round.isMultiple(of: 2) ? 0...255 : 9...126
            let bytes = (0..<length).map { _ in UInt8.random(in: range, using: &random) }
            let url = URL(fileURLWithPath: directory.path + "/random-\(round).yml")
            try Data(bytes).write(to: url)
            try expectLoadEnds(url)
        }
    }

    @Test("random mutations of the real compose files never crash or hang the loader")
    func mutatedRealFiles() throws {
        var random = SeededGenerator(state: 7)
        let directory = try ScratchDirectory()
        let originals = try repositoryComposeFiles().map { try String(contentsOf: $0, encoding: .utf8) }
        for round in 0..<300 {
            var text = Array(originals[round % originals.count])
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let position = Int.random(in: 0...text.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0 where position < text.count:
                    text.remove(at: position)
                case 1:
                    text.insert(contentsOf: Self.fragments.randomElement(using: &random) ?? "", at: position)
                case 2 where !text.isEmpty:
                    let start = Int.random(in: 0..<text.count, using: &random)
                    let end = min(text.count, start + Int.random(in: 1...40, using: &random))
                    text.insert(contentsOf: text[start..<end], at: position)
                default:
                    text.insert(Character(Unicode.Scalar(UInt8.random(in: 0...127, using: &random))), at: position)
                }
            }
            let url = try directory.write("mutated-\(round).yml", String(text))
            try expectLoadEnds(url)
        }
    }

    @Test("random strings never crash or hang the interpolator, the .env reader or the port syntax")
    func randomStrings() {
        var random = SeededGenerator(state: 99)
        let interpolator = Interpolator(variables: ["A": "1", "B": "${A}", "EMPTY": ""])
        var outcomes = Set<Bool>()
        for _ in 0..<3000 {
            let words = ["A", "B", "EMPTY", "x", "8080", "1"]
            let pieces = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                (Self.fragments.randomElement(using: &random) ?? "") + (words.randomElement(using: &random) ?? "")
            }
            let text = pieces.joined()
            outcomes.insert((try? interpolator.interpolate(text)) != nil)
            _ = try? EnvFile.parse(text)
            _ = PortSyntax.parse(text)
            _ = try? ComposeDuration.seconds(text)
            _ = ShellWords.split(text)
        }
        // Both outcomes occur, so the inputs reach past the first check.
        #expect(outcomes == [true, false])
    }

    /// Loads (a load that never ends hangs the suite, which CI's own time limit reports) and either
    /// succeeds or fails with issues that each say something. How fast is scripts/bench.sh's question.
    private func expectLoadEnds(_ url: URL) throws {
        do {
            _ = try StackLoader(environment: testEnvironment()).load(files: [url])
        } catch {
            #expect(!error.issues.isEmpty)
            #expect(error.issues.allSatisfy { !$0.message.isEmpty })
        }
    }
}
