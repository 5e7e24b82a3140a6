import Testing

@testable import PodstackPreflight

@Suite("Preflight on a recorded host: who holds a port")
struct CheckerHolderTests {
    typealias Fixture = StackHostFixture

    @Test("A system unit's listener is named with pid, program and user, certainly, with its ways out")
    func namesSystemUnit() throws {
        let tree = try Fixture.make()
        let report = Fixture.checker(tree).check(claims: [Fixture.ollama], published: [], stackName: "local-ai")
        let row = try #require(report.rows.first)
        let holder = try #require(row.holder)
        #expect(row.verdict.name == "conflict")
        #expect(holder.kind == .systemUnit("ollama.service"))
        #expect(holder.certainty == .certain)
        #expect(holder.pid == Fixture.ollamaPID)
        #expect(holder.executable == "/usr/bin/ollama")
        #expect(holder.userName == "ollama")
        #expect(
            row.waysOut.compactMap(\.command) == [
                "sudo systemctl disable --now ollama.service", "OLLAMA_PORT=11435 podstack up",
            ])
        #expect(report.refuses)
    }

    @Test("A user unit, a plain process and another user's container forwarder each get their own way out")
    func namesOtherHolders() throws {
        let tree = try Fixture.make()
        let report = Fixture.checker(tree).check(
            claims: [Fixture.qdrant, Fixture.mindsdb, Fixture.openWebUI], published: [], stackName: "local-ai")
        let holders = report.rows.compactMap(\.holder)
        #expect(holders.map(\.kind) == [.userUnit(uid: 1000, name: "qdrant.service"), .process, .process])
        #expect(holders.map(\.pid) == [Fixture.userQdrantPID, Fixture.plainProcessPID, Fixture.forwarderPID])
        #expect(holders[2].isRootlessPodmanForwarder)
        let firstCommands = report.rows.map { $0.waysOut.first?.command }
        #expect(
            firstCommands == [
                "sudo -u alice XDG_RUNTIME_DIR=/run/user/1000 systemctl --user disable --now qdrant.service",
                "sudo kill \(Fixture.plainProcessPID)", "sudo -u alice podman ps --filter publish=8081",
            ])
    }

    @Test("Run as the holders' own user, the ways out need no sudo")
    func ownHoldersNeedNoSudo() throws {
        let tree = try Fixture.make()
        let report = Fixture.checker(tree, ownUID: 1000).check(
            claims: [Fixture.qdrant, Fixture.mindsdb, Fixture.openWebUI], published: [], stackName: "local-ai")
        #expect(
            report.rows.map { $0.waysOut.first?.command } == [
                "systemctl --user disable --now qdrant.service", "kill \(Fixture.plainProcessPID)",
                "podman ps --filter publish=8081",
            ])
    }

    @Test("A port that Podman says this stack publishes is ours; another stack's container is a conflict")
    func usesPublishedPorts() throws {
        let tree = try Fixture.make()
        let published = [
            PublishedPort(
                hostIP: "", port: 8081, podName: "local-ai", containerName: "local-ai-infra", stackLabel: "local-ai"),
            PublishedPort(
                hostIP: "127.0.0.1", port: 11434, podName: "old-stack", containerName: "old-ollama", stackLabel: "old"),
        ]
        let report = Fixture.checker(tree).check(
            claims: [Fixture.openWebUI, Fixture.ollama], published: published, stackName: "local-ai")
        #expect(report.rows.map(\.verdict.name) == ["ours", "conflict"])
        #expect(report.rows.last?.holder?.containerName == "old-ollama")
        #expect(report.rows.last?.waysOut.first?.command == "podman pod stop old-stack")
        #expect(report.rows.first?.waysOut.isEmpty == true)
    }

    @Test("Without readable fds the holder is the socket's uid and the likely running unit of that uid")
    func guessesWithoutFds() throws {
        let tree = try Fixture.make()
        let report = Fixture.checker(tree, unreadableFds: true).check(
            claims: [Fixture.ollama, Fixture.mindsdb], published: [], stackName: "local-ai")
        let ollama = try #require(report.rows.first?.holder)
        #expect(ollama.certainty == .likely)
        #expect(ollama.kind == .systemUnit("ollama.service"))
        #expect(ollama.candidates == ["ollama.service"])
        #expect((ollama.uid, ollama.userName) == (998, "ollama"))
        #expect(report.rows.first?.waysOut.map(\.action) == [.stopSystemUnit, .inspect, .movePort])
        let unnamed = try #require(report.rows.last?.holder)
        #expect((unnamed.kind, unnamed.uid, unnamed.pid) == (.unknown, 1000, nil))
        #expect(report.rows.last?.waysOut.first?.command == "sudo ss -ltnp 'sport = :47334'")
        #expect(report.warnings.count == 1)
        #expect(report.refuses)
    }

    @Test("A held port found in no table is still a conflict, with an unidentified holder")
    func unidentifiedHolder() throws {
        let tree = try Fixture.make()
        let claim = PortClaim(pod: "aidb", service: "aidb-api", hostIP: "127.0.0.1", port: 8000)
        let report = Fixture.checker(tree, probe: FakeBindProbe(takenPorts: [8000])).check(
            claims: [claim], published: [], stackName: "aidb")
        #expect(report.rows.first?.holder == .unidentified)
        #expect(report.refuses)
    }
}
