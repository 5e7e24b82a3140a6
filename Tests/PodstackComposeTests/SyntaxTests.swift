import Testing

@testable import PodstackCompose

@Suite("Port, duration and command syntax")
struct SyntaxTests {
    struct PortCase: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: [(ip: String, host: Int, container: Int, udp: Bool)]
        var testDescription: String { text }
    }

    @Test(
        "reads the short port syntax, binding loopback unless an address is given",
        arguments: [
            PortCase(text: "8080:80", expected: [("127.0.0.1", 8080, 80, false)]),
            PortCase(text: "0.0.0.0:8080:80", expected: [("0.0.0.0", 8080, 80, false)]),
            PortCase(text: "192.168.1.2:53:53/udp", expected: [("192.168.1.2", 53, 53, true)]),
            PortCase(text: "53:53/UDP", expected: [("127.0.0.1", 53, 53, true)]),
            PortCase(text: "8080:80/tcp", expected: [("127.0.0.1", 8080, 80, false)]),
            PortCase(text: "[::1]:8080:80", expected: [("::1", 8080, 80, false)]),
            PortCase(text: "1:65535", expected: [("127.0.0.1", 1, 65535, false)]),
            PortCase(
                text: "8000-8002:9000-9002",
                expected: [
                    ("127.0.0.1", 8000, 9000, false), ("127.0.0.1", 8001, 9001, false),
                    ("127.0.0.1", 8002, 9002, false),
                ]),
            PortCase(text: "7000-7000:7000-7000", expected: [("127.0.0.1", 7000, 7000, false)]),
            // No host port: Podman picks one (PortMapping.podmanPicksHostPort), on loopback unless an address is given.
            PortCase(text: "80", expected: [("127.0.0.1", 0, 80, false)]),
            PortCase(text: "8000-8001/udp", expected: [("127.0.0.1", 0, 8000, true), ("127.0.0.1", 0, 8001, true)]),
            PortCase(text: ":80", expected: [("127.0.0.1", 0, 80, false)]),
            PortCase(text: "0.0.0.0::80", expected: [("0.0.0.0", 0, 80, false)]),
            // No address before the host port, as in Immich's `:2283:2283`: the default address, as docker has it.
            PortCase(text: ":2283:2283", expected: [("127.0.0.1", 2283, 2283, false)]),
        ])
    func shortPorts(_ port: PortCase) throws {
        let parsed = try PortSyntax.parse(port.text).get()
        #expect(parsed.map(\.hostIP) == port.expected.map(\.ip))
        #expect(parsed.map(\.hostPort) == port.expected.map(\.host))
        #expect(parsed.map(\.containerPort) == port.expected.map(\.container))
        #expect(parsed.map { $0.transport == .udp } == port.expected.map(\.udp))
    }

    @Test(
        "refuses port strings it cannot publish safely, saying why",
        arguments: [
            ("70000:80", "port 70000 is out of range 1-65535"),
            ("0:80", "port 0 is out of range 1-65535"),
            ("8080:99999999999999999999999", "is out of range 1-65535"),
            ("http:80", "'http' is not a port number"),
            ("-1:80", "is not a port number"),
            ("8080:80/sctp", "protocol 'sctp' is not supported"),
            ("8000-8002:9000", "maps 3 host port(s) to 1 container port(s)"),
            ("8002-8000:9000-9002", "runs backwards"),
            ("1-2-3:4", "is not a port or a range of ports"),
            ("300.1.1.1:80:80", "is not an IP address"),
            ("localhost:80:80", "is not an IP address"),
            ("[::1:80:80", "unclosed IPv6 address"),
            ("a:b:c:d", "is not HOST:CONTAINER"),
            ("", "'' is not a port number"),
        ])
    func refusedPorts(text: String, fragment: String) {
        guard case .failure(let failure) = PortSyntax.parse(text) else {
            Issue.record("'\(text)' parsed, expected an error containing '\(fragment)'")
            return
        }
        #expect(failure.message.contains(fragment), "\(failure.message)")
    }

    @Test(
        "reads compose durations into seconds",
        arguments: [
            ("10s", 10.0), ("1m30s", 90), ("500ms", 0.5), ("1h", 3600), ("1.5s", 1.5), ("2h45m", 9900),
            ("0", 0), ("0s", 0), ("100us", 0.0001), ("1000000ns", 0.001), ("1m0.5s", 60.5),
        ])
    func durations(text: String, seconds: Double) throws {
        #expect(abs(try ComposeDuration.seconds(text) - seconds) < 1e-9)
    }

    @Test(
        "refuses durations without units, with unknown units, negative or absurdly long",
        arguments: [
            ("10", "has no unit"), ("", "empty"), ("10 s", "unknown unit"), ("5d", "unknown unit"),
            ("-5s", "is not a duration"), ("s", "is not a duration"), ("1..5s", "is not a duration"),
            ("99999999999h", "is too long"), ("123456789012345678901234567890s", "is not a duration"),
        ])
    func refusedDurations(text: String, fragment: String) {
        #expect {
            try ComposeDuration.seconds(text)
        } throws: { error in
            (error as? ComposeDuration.Failure)?.message.contains(fragment) == true
        }
    }

    @Test(
        "splits command strings the way a shell would, without expanding anything",
        arguments: [
            ("serve", ["serve"]),
            ("python -m app --port 80", ["python", "-m", "app", "--port", "80"]),
            ("sh -c 'echo a b'", ["sh", "-c", "echo a b"]),
            ("echo \"a \\\"b\\\"\"", ["echo", "a \"b\""]),
            ("a\\ b c", ["a b", "c"]),
            ("  spaced   out  ", ["spaced", "out"]),
            ("empty ''", ["empty", ""]),
            ("", []),
        ])
    func shellWords(text: String, words: [String]) {
        #expect(ShellWords.split(text) == words)
    }

    @Test("reports an unclosed quote in a command as nothing to split", arguments: ["'open", "\"open", "trailing\\"])
    func unclosedQuotes(text: String) {
        #expect(ShellWords.split(text) == nil)
    }
}
