import Foundation
import Testing
import Yams

@testable import PodstackExport

@Suite("Export: YAML writer")
struct ExportYAMLTests {
    @Test(
        "a string stays plain only when YAML reads it back as that same string",
        arguments: [
            ("ollama", "ollama"),
            ("docker.io/ollama/ollama:latest", "docker.io/ollama/ollama:latest"),
            ("http://127.0.0.1:11434", "http://127.0.0.1:11434"),
            ("/run/secrets/x", "/run/secrets/x"),
            ("5432", "\"5432\""),
            ("127.0.0.1", "\"127.0.0.1\""),
            ("1Gi", "\"1Gi\""),
            ("true", "\"true\""),
            ("Yes", "\"Yes\""),
            ("off", "\"off\""),
            ("null", "\"null\""),
            ("~", "\"~\""),
            ("", "\"\""),
            ("a: b", "\"a: b\""),
            ("key:", "\"key:\""),
            ("#not a comment", "\"#not a comment\""),
            ("-x", "\"-x\""),
            ("two words", "\"two words\""),
            ("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\""),
            ("line\nbreak\ttab", "\"line\\nbreak\\ttab\""),
            ("bell\u{7}", "\"bell\\x07\""),
            ("sep\u{2028}", "\"sep\\u2028\""),
        ])
    func quoting(text: String, expected: String) {
        #expect(YAMLWriter.quoted(text) == expected)
    }

    @Test(
        "every string, however odd, parses back to itself",
        arguments: [
            "plain", "5432", "0x1F", "1e3", ".inf", "-", "- item", "{a}", "[b]", "a, b", "*alias", "&anchor", "!tag",
            "%directive", "@at", "`tick`", "'single'", "\"double\"", "back\\slash", "ünïcode ✓", "trailing ",
            " leading",
            "multi\nline\n", "tab\there", "2001-12-14", "yes", "NO", "On", "= eq", "? q", "| pipe", "> fold",
        ])
    func roundTrip(text: String) throws {
        let document = YAMLDocument(
            value: .map([
                YAMLEntry(text, .list([.string(text), .map([YAMLEntry("v", .string(text))])])),
                YAMLEntry("flow", .list([.string(text), .string(text)])),
            ]))
        let parsed = try Yams.load(yaml: document.render()) as? [String: Any]
        let list = parsed?[text] as? [Any]
        #expect(list?.first as? String == text)
        #expect((list?.last as? [String: Any])?["v"] as? String == text)
        #expect((parsed?["flow"] as? [Any])?.first as? String == text)
    }

    @Test("comments sit above their key, and above the dash for a list item's first key")
    func comments() {
        let document = YAMLDocument(
            comments: ["head"],
            value: .map([
                YAMLEntry(
                    "containers",
                    .list([
                        .map([
                            YAMLEntry("name", .string("api"), comments: ["needs db", "two\nlines"]),
                            YAMLEntry("ports", .list([])),
                        ])
                    ])),
                YAMLEntry("empty", .map([])),
                YAMLEntry("count", .int(3), comments: ["why three"]),
            ]))
        #expect(
            document.render() == """
                # head
                containers:
                  # needs db
                  # two
                  # lines
                  - name: api
                    ports: []
                empty: {}
                # why three
                count: 3

                """)
    }

    @Test("documents of a stream are separated by ---, and comment-only ones join the next")
    func stream() {
        let folded = KubeExporter.foldingCommentOnly([
            YAMLDocument(comments: ["a secret left out"], value: nil),
            YAMLDocument(comments: ["the pod"], value: .map([YAMLEntry("kind", .string("Pod"))])),
        ])
        #expect(folded.count == 1)
        #expect(
            YAMLDocument.stream(folded + folded)
                == "# a secret left out\n#\n# the pod\nkind: Pod\n---\n# a secret left out\n#\n# the pod\nkind: Pod\n")
    }
}
