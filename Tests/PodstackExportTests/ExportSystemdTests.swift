import PodstackCompose
import Testing

@testable import PodstackExport

@Suite("Export: systemd units")
struct ExportSystemdTests {
    typealias F = ExportFixture

    static func unit(containerHost: String? = nil) -> SystemdUnit {
        let pod = F.pod(
            [
                F.service("db", stopGrace: 30),
                F.service("api", dependsOn: [Dependency(service: "db")], stopGrace: 45),
                F.service("ui", dependsOn: [Dependency(service: "db")]),
            ], name: "local-ai")
        return SystemdUnit(
            pod: pod, binary: "/opt/podstack/bin/podstack", stackArguments: ["--compose-dir", "/home/u/compose"],
            containerHost: containerHost, environment: [("PODSTACK_DATA_DIR", "/home/u/data")], version: "0.1.0")
    }

    @Test("preflight before up, up to start, down to stop, all with the absolute binary, the stack and the pod")
    func commands() {
        let lines = Self.unit().render().split(separator: "\n").map(String.init)
        let arguments = " --compose-dir /home/u/compose local-ai"
        #expect(lines.contains("ExecStartPre=/opt/podstack/bin/podstack preflight" + arguments))
        #expect(lines.contains("ExecStart=/opt/podstack/bin/podstack up" + arguments))
        #expect(lines.contains("ExecStop=/opt/podstack/bin/podstack down" + arguments))
        for line in [
            "Type=oneshot", "RemainAfterExit=yes", "After=podman.socket", "Wants=podman.socket", "Restart=on-failure",
            "TimeoutStartSec=1800", "WantedBy=default.target", "Environment=\"PODSTACK_DATA_DIR=/home/u/data\"",
        ] {
            #expect(lines.contains(line), "missing \(line)")
        }
        #expect(Self.unit().fileName == "podstack-local-ai.service")
    }

    @Test("the socket is the user's own (%t) unless CONTAINER_HOST named one, whose % is then literal")
    func containerHost() {
        #expect(Self.unit().render().contains("Environment=\"CONTAINER_HOST=unix://%t/podman/podman.sock\""))
        #expect(
            Self.unit(containerHost: "unix:///run/a%b.sock").render().contains(
                "Environment=\"CONTAINER_HOST=unix:///run/a%%b.sock\""))
    }

    @Test("the stop timeout covers every level's slowest grace period, never under systemd's 90 s")
    func stopTimeout() {
        #expect(Self.unit().stopTimeoutSeconds == 30 + 45 + 60)
        #expect(
            SystemdUnit(
                pod: F.pod([F.service("a")]), binary: "/b", stackArguments: [], containerHost: nil, environment: [],
                version: "x"
            )
            .stopTimeoutSeconds == 90)
    }

    @Test(
        "arguments are quoted the way systemd splits them",
        arguments: [
            ("/usr/bin/podstack", "/usr/bin/podstack"),
            ("/home/me/my stack", "\"/home/me/my stack\""),
            ("100%", "100%%"),
            ("$HOME", "$$HOME"),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("a\\b", "\"a\\\\b\""),
            (";", "\";\""),
            ("", "\"\""),
        ])
    func quoting(text: String, expected: String) {
        #expect(SystemdQuoting.argument(text) == expected)
    }

    @Test("the executable's path keeps a single $, which systemd does not expand there; its arguments double it")
    func executableDollar() {
        #expect(SystemdQuoting.commandLine(["/opt/$x/podstack", "up", "$y"]) == "/opt/$x/podstack up $$y")
        #expect(SystemdQuoting.commandLine(["/opt/a b%/podstack"]) == "\"/opt/a b%%/podstack\"")
    }

    @Test("a pod name outside systemd's unit-name characters is escaped as systemd-escape does")
    func unitNames() {
        #expect(SystemdQuoting.unitNameComponent("local-ai") == "local-ai")
        #expect(SystemdQuoting.unitNameComponent("my pod/1") == "my\\x20pod\\x2f1")
    }

    @Test(
        "a compose path holding a newline, a carriage return or a trailing backslash stays inside its comment line",
        arguments: [
            "/stack/x\n[Service]\nExecStartPost=/bin/touch /tmp/pwned\n", "/stack/x\r[Service]\rExecStartPost=/bin/id",
            "/stack/x\\", "/stack/x\u{0}ExecStartPost=/bin/id",
        ])
    func sourcePathCannotAddLines(path: String) {
        var unit = Self.unit()
        unit.pod = PodDefinition(
            name: unit.pod.name, sourceFile: path, services: unit.pod.services, volumes: [], secrets: [])
        let text = unit.render()
        // systemd's own line ends: \n, \r and NUL; a line ending in a backslash continues on the next.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\0" }
        #expect(
            lines.count
                == Self.unit().render().split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count)
        #expect(lines.filter { $0.hasPrefix("[") } == ["[Unit]", "[Service]", "[Install]"])
        #expect(!lines.contains { $0.hasPrefix("ExecStartPost") })
        #expect(!lines.contains { $0.hasSuffix("\\") })
        #expect(lines.contains { $0.hasPrefix("# Pod local-ai from /stack/x") })
    }
}
