import PodstackTestSupport
import Testing

@testable import PodstackHost

@Suite("Unit file syntax: one reader of assignments, one word splitter")
struct UnitFileSyntaxTests {
    @Test(
        "values split into words as systemd's extract_first_word does",
        arguments: [
            ("a b\tc", ["a", "b", "c"]),
            ("  leading and trailing  ", ["leading", "and", "trailing"]),
            (#""OLLAMA_HOST=0.0.0.0:11434" "A=two words""#, ["OLLAMA_HOST=0.0.0.0:11434", "A=two words"]),
            ("'single quoted' x", ["single quoted", "x"]),
            (#"A="in the middle"B"#, ["A=in the middleB"]),
            (#"-p "" 5432"#, ["-p", "", "5432"]),
            (#""""#, [""]),
            (#"''"#, [""]),
            (#"A=say\ \"hi\" end"#, [#"A=say "hi""#, "end"]),
            (#""A=\"quoted\"""#, [#"A="quoted""#]),
            (#"tab\there"#, ["tab\there"]),
            (#"trailing\"#, [#"trailing\"#]),
            ("", []),
        ] as [(String, [String])])
    func splitsWords(value: String, expected: [String]) {
        #expect(UnitFileSyntax.words(of: value) == expected)
    }

    @Test("assignments keep their section, join continued lines and skip comments")
    func readsAssignments() {
        let text = """
            [Unit]
            Description=Ollama
            # ExecStart=/commented/out
            [Service]
              ExecStart = /usr/bin/qdrant \\
                --port 6333
            ; Environment=IGNORED=1
            Environment=
            [Socket]
            ListenStream=11434
            """
        let assignments = UnitFileSyntax.assignments(in: text)
        #expect(assignments.map(\.section) == ["Unit", "Service", "Service", "Socket"])
        #expect(assignments.map(\.key) == ["Description", "ExecStart", "Environment", "ListenStream"])
        #expect(assignments[1].value == "/usr/bin/qdrant  --port 6333")
        #expect(assignments[2].value == "")
    }

    @Test("an empty quoted argument is the value of its flag, as systemd passes it, not the word after it")
    func emptyArgumentIsAWord() {
        #expect(UnitFilePorts.ports(inUnitText: "[Service]\nExecStart=/usr/bin/pg -p \"\" 5432\n") == [])
        #expect(UnitFilePorts.ports(inUnitText: "[Service]\nExecStart=/usr/bin/pg -p \"5432\"\n") == [5432])
    }

    @Test("the migrate reader keeps an empty Environment word and reads continued lines")
    func settingsUseTheSameSyntax() throws {
        let tree = try RecordedTree()
        try tree.write(
            "/etc/systemd/system/ollama.service",
            "[Service]\nEnvironment=\"\" \"OLLAMA_MODELS=/srv/my models\" \\\n  OLLAMA_HOST=127.0.0.1:11434\n")
        let settings = try #require(SystemUnitReader(root: tree.root).settings(ofUnit: "ollama.service"))
        #expect(settings.environment == ["OLLAMA_MODELS": "/srv/my models", "OLLAMA_HOST": "127.0.0.1:11434"])
    }
}
