import PodstackTestSupport
import Testing

@testable import PodstackHost

@Suite("passwd under a root")
struct PasswdFileTests {
    static let text = """
        root:x:0:0:root:/root:/bin/bash
        # a comment:x:5:5::/nowhere:/bin/false
        ollama:x:998:998::/usr/share/ollama:/bin/false
        toor:x:0:0:second root:/toor:/bin/sh
        short:x:42
        ollama:x:999:999::/elsewhere:/bin/false

        """

    @Test("uids name their first user; comment lines and lines without a uid are skipped")
    func namesByUID() {
        let passwd = PasswdFile(text: Self.text)
        #expect(passwd.userName(of: 0) == "root")
        #expect(passwd.userName(of: 998) == "ollama")
        #expect(passwd.userName(of: 42) == "short")
        #expect(passwd.userName(of: 5) == nil)
        #expect(passwd.userNames.count == 4)
    }

    @Test("a uid's primary group is the first line's, and a line without one gives none")
    func primaryGroups() {
        let passwd = PasswdFile(text: Self.text)
        #expect(passwd.primaryGID(of: 998) == 998)
        #expect(passwd.primaryGID(of: 0) == 0)
        #expect(passwd.primaryGID(of: 42) == nil)
        #expect(passwd.primaryGID(of: 5) == nil)
    }

    @Test("homes are found by name and by uid, the first line winning, as getpwnam does")
    func homes() {
        let passwd = PasswdFile(text: Self.text)
        #expect(passwd.home(of: "ollama") == "/usr/share/ollama")
        #expect(passwd.home(of: "998") == "/usr/share/ollama")
        #expect(passwd.home(of: "0") == "/root")
        #expect(passwd.home(of: "short") == nil)
    }

    @Test("the file is read inside the root, following a link that stays inside it")
    func readsInsideRoot() throws {
        let tree = try RecordedTree()
        try tree.write("/etc/static/passwd", "alice:x:1000:1000::/home/alice:/bin/sh\n")
        try tree.link("/etc/passwd", to: "/etc/static/passwd")
        let passwd = PasswdFile(root: tree.root)
        #expect(passwd.userName(of: 1000) == "alice")
        #expect(passwd.home(of: "alice") == "/home/alice")
        #expect(PasswdFile(root: tree.root + "/missing").userNames.isEmpty)
    }
}
