import Testing

@testable import PodstackBuild

/// The ignore rules against moby patternmatcher's behaviour: each case is an ignore file, a path, and
/// whether `docker build` leaves that path out.
@Suite("Ignore rules")
struct IgnoreRulesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let path: String
        let excluded: Bool
        var testDescription: String { "\(file.debugDescription) \(excluded ? "excludes" : "keeps") \(path)" }
    }

    static let cases: [Case] = [
        // Plain names match at the root only, whole: no implied `**/`.
        Case(file: "secret.txt", path: "secret.txt", excluded: true),
        Case(file: "secret.txt", path: "sub/secret.txt", excluded: false),
        Case(file: "secret", path: "secret.txt", excluded: false),
        // A directory's pattern takes everything under it (parents match).
        Case(file: "build", path: "build/out/a.o", excluded: true),
        // A trailing `/` and a leading `/` or `./` are cleaned away.
        Case(file: "build/", path: "build/a.o", excluded: true),
        Case(file: "/build", path: "build/a.o", excluded: true),
        Case(file: "./build", path: "build", excluded: true),
        // `*` stays inside one segment; `?` is one character of it.
        Case(file: "*.log", path: "a.log", excluded: true),
        Case(file: "*.log", path: "logs/a.log", excluded: false),
        Case(file: "*/*.log", path: "logs/a.log", excluded: true),
        Case(file: "a?c", path: "abc", excluded: true),
        Case(file: "a?c", path: "a/c", excluded: false),
        // `**` spans any number of segments, none included; at the end, everything.
        Case(file: "**/*.log", path: "a.log", excluded: true),
        Case(file: "**/*.log", path: "x/y/a.log", excluded: true),
        Case(file: "docs/**", path: "docs/x/y.md", excluded: true),
        Case(file: "a/**/z", path: "a/z", excluded: true),
        Case(file: "a/**/z", path: "a/b/c/z", excluded: true),
        Case(file: "**", path: "anything/at/all", excluded: true),
        // Character classes, and `\` escaping a special character.
        Case(file: "file[0-9]", path: "file7", excluded: true),
        Case(file: "file[^0-9]", path: "file7", excluded: false),
        Case(file: "\\*star", path: "*star", excluded: true),
        Case(file: "\\*star", path: "xstar", excluded: false),
        // Regular-expression characters mean themselves.
        Case(file: "a.b", path: "axb", excluded: false),
        Case(file: "(x)+", path: "(x)+", excluded: true),
        // `!` exceptions: the last pattern that decides wins.
        Case(file: "*.md\n!README.md", path: "README.md", excluded: false),
        Case(file: "*.md\n!README.md", path: "NOTES.md", excluded: true),
        Case(file: "!README.md\n*.md", path: "README.md", excluded: true),
        Case(file: "docs\n!docs/keep.md", path: "docs/keep.md", excluded: false),
        Case(file: "docs\n!docs/keep.md", path: "docs/other.md", excluded: true),
        // An exception for a directory brings back what is inside it.
        Case(file: "docs\n!docs/keep", path: "docs/keep/inner.txt", excluded: false),
        // Comments and blank lines are nothing; `#` only at the line's start.
        Case(file: "# secret.txt\n\n", path: "secret.txt", excluded: false),
        Case(file: "  secret.txt  ", path: "secret.txt", excluded: true),
        // CRLF files and a byte order mark.
        Case(file: "\u{FEFF}a.txt\r\nb.txt\r\n", path: "a.txt", excluded: true),
        Case(file: "\u{FEFF}a.txt\r\nb.txt\r\n", path: "b.txt", excluded: true),
        // `..` cannot climb out of the context.
        Case(file: "a/../b", path: "b", excluded: true),
    ]

    @Test("each pattern excludes or keeps a path as Docker does", arguments: cases)
    func matchesAsDocker(_ testCase: Case) throws {
        let rules = try IgnoreRules(text: testCase.file, file: ".dockerignore")
        #expect(rules.excludes(testCase.path) == testCase.excluded)
    }

    @Test("a bad line is refused with its file and line number")
    func badLineIsLocated() {
        #expect(
            throws: BuildContextError.badIgnorePattern(
                file: "ctx/.dockerignore", line: 3, pattern: "!", problem: .emptyException)
        ) {
            try IgnoreRules(text: "a\n# b\n!\n", file: "ctx/.dockerignore")
        }
        #expect(
            throws: BuildContextError.badIgnorePattern(
                file: ".dockerignore", line: 1, pattern: "file[0-9", problem: .invalid("file[0-9"))
        ) {
            try IgnoreRules(text: "file[0-9", file: ".dockerignore")
        }
    }

    @Test("the Dockerfile and the ignore file are sent even when a pattern excludes them")
    func buildFilesAreKept() throws {
        let rules = try IgnoreRules(text: "*\n!src", file: ".dockerignore").keeping([".dockerignore", "Dockerfile"])
        #expect(!rules.excludes("Dockerfile"))
        #expect(!rules.excludes(".dockerignore"))
        #expect(rules.excludes("other.txt"))
        #expect(!rules.excludes("src/main.swift"))
    }

    @Test("an excluded directory is walked only when an exception reaches inside it")
    func descendOnlyForExceptions() throws {
        let rules = try IgnoreRules(text: "node_modules\ndocs\n!docs/keep.md", file: ".dockerignore")
        #expect(rules.mustDescend(intoExcluded: "docs"))
        #expect(!rules.mustDescend(intoExcluded: "node_modules"))
    }
}
