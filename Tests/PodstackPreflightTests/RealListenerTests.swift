import Glibc
import Testing

@testable import PodstackPreflight

/// Real sockets in this process, the real /proc, the real bind probe.
@Suite("Preflight against real listeners")
struct RealListenerTests {
    static let ownPID = Int(getpid())

    func check(_ host: String, port: Int, transport: TransportProtocol = .tcp) -> PreflightReport.Row? {
        let claim = PortClaim(
            pod: "test", service: "svc", hostIP: host, port: port, transport: transport, variable: "SVC_PORT")
        return PreflightChecker().check(claims: [claim], published: [], stackName: "test").rows.first
    }

    @Test(
        "A listener in this process blocks the claims the kernel refuses, and is named with this pid",
        arguments: [
            ("127.0.0.1", "127.0.0.1", TransportProtocol.tcp),
            ("0.0.0.0", "127.0.0.1", .tcp),
            ("::", "127.0.0.1", .tcp),
            ("::", "::1", .tcp),
            ("127.0.0.1", "0.0.0.0", .tcp),
            ("127.0.0.1", "127.0.0.1", .udp),
            ("0.0.0.0", "127.0.0.1", .udp),
        ])
    func namesThisProcess(listenOn: String, claim: String, transport: TransportProtocol) throws {
        let listener = try Listener(listenOn, transport: transport)
        defer { listener.close() }
        let row = try #require(check(claim, port: listener.port, transport: transport))
        #expect(row.verdict.name == "conflict")
        #expect(row.holder?.pid == Self.ownPID)
        #expect(row.holder?.certainty == .certain)
        #expect(row.holder?.uid == Int(getuid()))
        let move = try #require(row.waysOut.last?.command)
        #expect(move.hasPrefix("SVC_PORT=") && move != "SVC_PORT=\(listener.port) podstack up")
    }

    @Test("A listener on 127.0.0.2 does not block 127.0.0.1, on TCP or UDP", arguments: TransportProtocol.allCases)
    func otherLoopbackAddressDoesNotBlock(transport: TransportProtocol) throws {
        let listener = try Listener("127.0.0.2", transport: transport)
        defer { listener.close() }
        #expect(check("127.0.0.1", port: listener.port, transport: transport)?.verdict == .free)
        #expect(check("127.0.0.2", port: listener.port, transport: transport)?.verdict.name == "conflict")
    }

    @Test("A TCP listener does not block the same port on UDP")
    func protocolsAreApart() throws {
        let listener = try Listener("0.0.0.0", transport: .tcp)
        defer { listener.close() }
        #expect(check("127.0.0.1", port: listener.port, transport: .udp)?.verdict == .free)
    }

    @Test("An IPV6_V6ONLY listener on :: does not block IPv4: the bind, not /proc, decides")
    func v6OnlyIsDecidedByBind() throws {
        let listener = try Listener("::", v6Only: true)
        defer { listener.close() }
        #expect(check("127.0.0.1", port: listener.port)?.verdict == .free)
        #expect(check("::1", port: listener.port)?.verdict.name == "conflict")
    }

    @Test("The bind probe tells an address this host lacks from a taken port")
    func probeOutcomes() throws {
        let listener = try Listener("127.0.0.1")
        defer { listener.close() }
        let probe = SystemBindProbe()
        #expect(probe.probe(address: .v4(0x7F00_0001), port: listener.port, transport: .tcp) == .inUse)
        let documentationAddress = try #require(HostAddress(text: "198.51.100.7"))
        #expect(probe.probe(address: documentationAddress, port: listener.port, transport: .tcp) == .addressUnavailable)
        #expect(check("198.51.100.7", port: listener.port)?.verdict == .unavailableAddress)
    }

    /// TIME_WAIT sockets keep the SO_REUSEADDR flag of the server that left them: a server that set it
    /// (as Go's listeners in rootlessport do) can bind again at once, one that did not blocks the port
    /// for a minute even to a SO_REUSEADDR bind. The probe gives the same answer the real server gets.
    @Test("A port left in TIME_WAIT by a server that set SO_REUSEADDR reads free, as the next server finds it")
    func timeWaitIsFree() async throws {
        let listener = try Listener("127.0.0.1", reuseAddress: true)
        defer { listener.close() }
        let port = listener.port
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var target = SocketAddressStorage(address: .v4(0x7F00_0001), port: port)
        #expect(target.withSockaddr { connect(client, $0, $1) } == 0)
        let accepted = accept(listener.descriptor, nil, nil)
        #expect(accepted >= 0)
        close(accepted)  // the server side closes first, so its end goes to TIME_WAIT
        listener.close()
        close(client)
        try await Task.sleep(for: .milliseconds(50))
        #expect(check("127.0.0.1", port: port)?.verdict == .free)
    }
}
