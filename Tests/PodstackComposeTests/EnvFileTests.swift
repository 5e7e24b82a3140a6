import Testing

@testable import PodstackCompose

@Suite(".env files")
struct EnvFileTests {
    @Test(
        "reads the forms people write",
        arguments: [
            ("KEY=value", ["KEY": "value"]),
            ("KEY=value\nOTHER=2\n", ["KEY": "value", "OTHER": "2"]),
            ("export KEY=value", ["KEY": "value"]),
            ("  KEY = value  ", ["KEY": "value"]),
            ("KEY=", ["KEY": ""]),
            ("# a comment\nKEY=value", ["KEY": "value"]),
            ("KEY=value # trailing comment", ["KEY": "value"]),
            ("KEY=value#not-a-comment", ["KEY": "value#not-a-comment"]),
            ("KEY='single # quoted $X'", ["KEY": "single # quoted $X"]),
            ("KEY=\"double \\\"quoted\\\"\\n\"", ["KEY": "double \"quoted\"\n"]),
            ("KEY=\"spans\nlines\"\nNEXT=1", ["KEY": "spans\nlines", "NEXT": "1"]),
            ("KEY=\"x\" # comment", ["KEY": "x"]),
            ("KEY=a=b", ["KEY": "a=b"]),
            ("KEY=first\nKEY=second", ["KEY": "second"]),
            ("dotted.key-name=1", ["dotted.key-name": "1"]),
            ("KEY=${NOT_EXPANDED}", ["KEY": "${NOT_EXPANDED}"]),
            ("\n\n   \n", [:]),
            ("KEY=value\r\nOTHER=x\r\n", ["KEY": "value", "OTHER": "x"]),
        ])
    func reads(text: String, expected: [String: String]) throws {
        #expect(try EnvFile.variables(text) == expected)
    }

    @Test(
        "refuses malformed lines, naming the line",
        arguments: [
            ("just words", 1, "expected '=' after just"),
            ("OK=1\n=value", 2, "expected KEY=VALUE"),
            ("OK=1\n\nKEY='open", 3, "has no closing '"),
            ("KEY=\"open\nstill", 1, "has no closing \""),
            ("KEY=\"closed\" extra", 1, "unexpected text after the closing quote"),
        ])
    func refuses(text: String, line: Int, fragment: String) {
        #expect {
            try EnvFile.parse(text)
        } throws: { error in
            guard let failure = error as? EnvFile.Failure else { return false }
            return failure.line == line && failure.message.contains(fragment)
        }
    }
}
