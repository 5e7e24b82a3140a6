import Testing

@testable import PodstackPreflight

@Suite("Rendering")
struct RenderingTests {
    typealias Fixture = StackHostFixture

    @Test("The table has one aligned row per port with the holder in words")
    func rendersTable() throws {
        let tree = try Fixture.make()
        let report = Fixture.checker(tree).check(
            claims: [Fixture.ollama, Fixture.postgres, PortClaim(pod: "p", service: "api", hostIP: "::", port: 8000)],
            published: [], stackName: "local-ai")
        let lines = report.renderTable().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("SERVICE        ADDRESS              VERDICT   HOLDER"))
        #expect(
            lines[1] == "ollama         127.0.0.1:11434/tcp  conflict  ollama.service (pid 812, ollama, user ollama)")
        #expect(lines[2] == "aidb-postgres  127.0.0.1:5432/tcp   warning   postgresql.service (enabled, not running)")
        #expect(lines[3] == "api            [::]:8000/tcp        free")
    }

    @Test("The ways out open with a sentence a person can read, then commands to copy")
    func rendersWaysOut() throws {
        let tree = try Fixture.make()
        let report = Fixture.checker(tree).check(claims: [Fixture.ollama], published: [], stackName: "local-ai")
        #expect(
            report.renderWaysOut() == """
                port 127.0.0.1:11434/tcp (ollama) is held by the system service ollama.service (pid 812, /usr/bin/ollama, user ollama).
                  Stop ollama.service and keep it from starting at boot:
                      sudo systemctl disable --now ollama.service
                  Or move the stack's port to 11435, which is free:
                      OLLAMA_PORT=11435 podstack up


                """)
    }

    @Test("A guessed holder says 'probably' and the note says how to be certain")
    func rendersGuesses() throws {
        let tree = try Fixture.make()
        let report = Fixture.checker(tree, unreadableFds: true).check(
            claims: [Fixture.ollama, Fixture.mindsdb], published: [], stackName: "local-ai")
        let text = report.renderWaysOut()
        #expect(
            text.contains(
                "is probably held by the system service ollama.service (pid 812, /usr/bin/ollama, user ollama)"))
        #expect(text.contains("is held by a process of user alice that you are not allowed to see."))
        #expect(text.contains("sudo podstack preflight"))
    }
}
