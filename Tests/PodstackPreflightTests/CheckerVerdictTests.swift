import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackPreflight

@Suite("Preflight on a recorded host: verdicts, warnings and ways out")
struct CheckerVerdictTests {
    typealias Fixture = StackHostFixture

    @Test("An enabled, stopped unit of a stack program warns; --strict makes the warning a refusal")
    func warnsAboutBootUnits() throws {
        let tree = try Fixture.make()
        let lenient = Fixture.checker(tree).check(claims: [Fixture.postgres], published: [], stackName: "aidb")
        guard case .warning(let unit) = lenient.rows.first?.verdict else {
            Issue.record("expected a warning, got \(String(describing: lenient.rows.first?.verdict))")
            return
        }
        #expect(unit.name == "postgresql.service")
        #expect(!lenient.refuses)
        #expect(lenient.rows.first?.waysOut.first?.command == "sudo systemctl disable postgresql.service")

        let strict = Fixture.checker(tree).check(
            claims: [Fixture.postgres], published: [], stackName: "aidb", strict: true)
        #expect(strict.refuses)
        #expect(strict.rows.first?.holder?.kind == .systemUnit("postgresql.service"))
        #expect(strict.rows.first?.holder?.startsAtBoot == true)
    }

    @Test(
        "A stopped unit warns only for the ports it will take",
        arguments: [
            ("qdrant", 6334, "ExecStart=/usr/bin/qdrant", true),
            ("qdrant", 6335, "ExecStart=/usr/bin/qdrant", false),
            ("qdrant", 6333, "ExecStart=/usr/bin/qdrant --port 7000", false),
            ("vectors", 7000, "ExecStart=/usr/bin/qdrant --port 7000", true),
            ("ollama", 11500, "ExecStart=/usr/bin/ollama serve", false),
            ("mindsdb", 47334, "ExecStart=/usr/bin/mindsdb", true),
        ])
    func warnsForTheRightPorts(service: String, port: Int, execStart: String, warns: Bool) throws {
        let tree = try RecordedTree()
        try tree.write(
            "/etc/systemd/system/\(service == "vectors" ? "vector-db" : service).service", "[Service]\n\(execStart)\n")
        let unitName = service == "vectors" ? "vector-db" : service
        try tree.link("/etc/systemd/system/multi-user.target.wants/\(unitName).service", to: "../\(unitName).service")
        let claim = PortClaim(pod: "p", service: service, hostIP: "127.0.0.1", port: port)
        let report = PreflightChecker(root: tree.rootURL, bindProbe: FakeBindProbe()).check(
            claims: [claim], published: [], stackName: "s")
        #expect((report.rows.first?.verdict.name == "warning") == warns)
    }

    @Test("A running enabled unit that does not hold the port gives no warning")
    func runningUnitDoesNotWarn() throws {
        let tree = try Fixture.make()
        let moved = PortClaim(pod: "local-ai", service: "ollama", hostIP: "127.0.0.1", port: 11434)
        let report = Fixture.checker(tree, probe: FakeBindProbe()).check(claims: [moved], published: [], stackName: "x")
        #expect(report.rows.first?.verdict == .free)
    }

    @Test("The port offered to move to is free, not claimed by the stack, and not offered twice")
    func offersFreePorts() throws {
        let tree = try Fixture.make()
        let claims = [
            Fixture.ollama,
            PortClaim(pod: "local-ai", service: "other", hostIP: "127.0.0.1", port: 11435),
            PortClaim(pod: "local-ai", service: "again", hostIP: "127.0.0.1", port: 11434, variable: "AGAIN_PORT"),
        ]
        let probe = FakeBindProbe(takenPorts: [11434, 11436])
        let report = Fixture.checker(tree, probe: probe).check(claims: claims, published: [], stackName: "local-ai")
        let moves = report.rows.flatMap(\.waysOut).filter { $0.action == .movePort }.compactMap(\.command)
        #expect(moves == ["OLLAMA_PORT=11437 podstack up", "AGAIN_PORT=11438 podstack up"])
    }

    @Test("An address this host does not have, and text that is no address, both refuse")
    func refusesBadAddresses() throws {
        let tree = try Fixture.make()
        let elsewhere = try #require(HostAddress(text: "192.168.77.5"))
        let claims = [
            PortClaim(pod: "p", service: "a", hostIP: "192.168.77.5", port: 9000),
            PortClaim(pod: "p", service: "b", hostIP: "localhost", port: 9001),
        ]
        let report = Fixture.checker(tree, probe: FakeBindProbe(unavailableAddresses: [elsewhere])).check(
            claims: claims, published: [], stackName: "s")
        #expect(report.rows.map(\.verdict.name) == ["unavailable-address", "cannot-bind"])
        #expect(report.refuses)
    }

    @Test("All free: nothing refuses and no row has ways out")
    func allFree() throws {
        let tree = try Fixture.make()
        let claim = PortClaim(pod: "local-ai", service: "qdrant-grpc", hostIP: "127.0.0.1", port: 6390, transport: .udp)
        let report = Fixture.checker(tree).check(claims: [claim], published: [], stackName: "local-ai")
        #expect(report.rows.map(\.verdict) == [.free])
        #expect(!report.refuses)
        #expect(report.renderWaysOut().isEmpty)
    }

    @Test("The report round-trips through JSON with flat verdict, holder and protocol keys")
    func encodesJSON() throws {
        let tree = try Fixture.make()
        let report = Fixture.checker(tree).check(
            claims: [Fixture.ollama, Fixture.postgres], published: [], stackName: "local-ai")
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(object["refuses"] as? Bool == true)
        #expect(rows.map { $0["verdict"] as? String } == ["conflict", "warning"])
        #expect(rows.first?["protocol"] as? String == "tcp")
        #expect((rows.first?["holder"] as? [String: Any])?["pid"] as? Int == Fixture.ollamaPID)
        let decoded = try JSONDecoder().decode(PreflightReport.self, from: data)
        #expect(decoded.rows == report.rows)
    }
}

@Suite("When preflight needs Podman")
struct PodmanNeededTests {
    @Test(
        "only a conflict that may be a pod's needs Podman's list: a forwarder, a container, a guess or an unknown; never a named unit or process",
        arguments: [
            (Verdict.free, false),
            (
                .conflict(
                    PortHolder(pid: 10, processName: "ollama", kind: .systemUnit("ollama.service"), certainty: .certain)
                ), false
            ),
            (.conflict(PortHolder(pid: 11, processName: "python3", kind: .process, certainty: .certain)), false),
            (.conflict(PortHolder(pid: 12, processName: "rootlessport", kind: .process, certainty: .certain)), true),
            (
                .conflict(
                    PortHolder(
                        pid: 13, processName: "conmon", kind: .userUnit(uid: 1000, name: "x.service"),
                        certainty: .certain)), true
            ),
            (.conflict(PortHolder(kind: .podmanContainer("abc"), certainty: .certain)), true),
            (.conflict(PortHolder(uid: 0, kind: .systemUnit("ollama.service"), certainty: .likely)), true),
            (.conflict(.unidentified), true),
            (.ours(PortHolder(kind: .podmanContainer("abc"), certainty: .certain)), false),
        ] as [(Verdict, Bool)])
    func needsPodman(verdict: Verdict, expected: Bool) {
        #expect(verdict.needsPodmanToExplain == expected)
    }
}
