import PodstackTestSupport

@testable import PodstackPreflight

/// A recorded host in the situation the user described: a root-run `ollama.service` on
/// 127.0.0.1:11434, a user unit holding qdrant's port, a rootless container's forwarder, a plain
/// process, and an enabled but stopped `postgresql.service`.
enum StackHostFixture {
    static let ollamaPID = 812
    static let userQdrantPID = 2001
    static let forwarderPID = 3001
    static let plainProcessPID = 4001

    static func make() throws -> RecordedTree {
        let tree = try RecordedTree()
        try tree.write(
            "/proc/net/tcp",
            RecordedTree.tcpHeader
                + RecordedTree.socketLine(
                    slot: 0, localHex: "0100007F", port: 11434, state: "0A", uid: 998, inode: 40117)
                + RecordedTree.socketLine(
                    slot: 1, localHex: "00000000", port: 6333, state: "0A", uid: 1000, inode: 50001)
                + RecordedTree.socketLine(
                    slot: 2, localHex: "0100007F", port: 47334, state: "0A", uid: 1000, inode: 70001)
                + RecordedTree.socketLine(
                    slot: 3, localHex: "0100007F", port: 11434, state: "01", uid: 1000, inode: 70002))
        try tree.write(
            "/proc/net/tcp6",
            RecordedTree.tcp6Header
                + RecordedTree.socketLine(
                    slot: 0, localHex: "00000000000000000000000000000000", port: 8081, state: "0A", uid: 1000,
                    inode: 60001))
        try tree.write("/proc/net/udp", RecordedTree.udpHeader)
        try tree.write("/proc/net/udp6", RecordedTree.udpHeader)
        try tree.process(
            pid: ollamaPID, name: "ollama", commandLine: ["/usr/bin/ollama", "serve"], uid: 998,
            cgroup: "9:name=systemd:/system.slice/ollama.service\n4:memory:/system.slice/ollama.service\n0::/\n",
            socketInodes: [40117])
        try tree.process(
            pid: userQdrantPID, name: "qdrant", commandLine: ["/home/alice/bin/qdrant"], uid: 1000,
            cgroup: "0::/user.slice/user-1000.slice/user@1000.service/app.slice/qdrant.service\n",
            socketInodes: [50001])
        try tree.process(
            pid: forwarderPID, name: "rootlessport", commandLine: ["rootlessport"], uid: 1000,
            cgroup: "0::/user.slice/user-1000.slice/user@1000.service/user.slice/podman-pause-1.scope\n",
            socketInodes: [60001])
        try tree.process(
            pid: plainProcessPID, name: "python3", commandLine: ["python3", "-m", "http.server", "47334"], uid: 1000,
            cgroup: "0::/user.slice/user-1000.slice/session-3.scope\n", socketInodes: [70001, 70002])
        try tree.write("/sys/fs/cgroup/systemd/cgroup.procs", "1\n")
        try tree.write("/sys/fs/cgroup/systemd/system.slice/ollama.service/cgroup.procs", "\(ollamaPID)\n")
        try tree.write(
            "/sys/fs/cgroup/systemd/user.slice/user-1000.slice/user@1000.service/app.slice/qdrant.service/cgroup.procs",
            "\(userQdrantPID)\n")
        try tree.write(
            "/etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nollama:x:998:998::/usr/share/ollama:/bin/false\nalice:x:1000:1000::/home/alice:/bin/bash\n"
        )
        try tree.write("/etc/systemd/system/ollama.service", "[Service]\nExecStart=/usr/bin/ollama serve\n")
        try tree.link("/etc/systemd/system/multi-user.target.wants/ollama.service", to: "../ollama.service")
        try tree.write("/lib/systemd/system/postgresql.service", "[Service]\nExecStart=/bin/true\n")
        try tree.link(
            "/etc/systemd/system/multi-user.target.wants/postgresql.service",
            to: "/lib/systemd/system/postgresql.service")
        return tree
    }

    static let ollama = PortClaim(
        pod: "local-ai", service: "ollama", hostIP: "127.0.0.1", port: 11434, variable: "OLLAMA_PORT")
    static let qdrant = PortClaim(
        pod: "local-ai", service: "qdrant", hostIP: "0.0.0.0", port: 6333, variable: "QDRANT_HTTP_PORT")
    static let openWebUI = PortClaim(
        pod: "local-ai", service: "open-webui", hostIP: "127.0.0.1", port: 8081, variable: "OPEN_WEBUI_PORT")
    static let mindsdb = PortClaim(
        pod: "local-ai", service: "mindsdb", hostIP: "127.0.0.1", port: 47334, variable: "MINDSDB_API_PORT")
    static let postgres = PortClaim(
        pod: "aidb", service: "aidb-postgres", hostIP: "127.0.0.1", port: 5432, variable: "AIDB_POSTGRES_PORT")

    /// The fixture's held ports, as the kernel would answer a bind.
    static let probe = FakeBindProbe(takenPorts: [11434, 6333, 8081, 47334])

    /// A checker run as `ownUID` (root unless a test says otherwise, whoever runs the tests).
    static func checker(
        _ tree: RecordedTree, unreadableFds: Bool = false, probe: FakeBindProbe = probe, ownUID: Int = 0
    )
        -> PreflightChecker
    {
        PreflightChecker(
            root: tree.rootURL, bindProbe: probe, options: .init(assumeUnreadableFds: unreadableFds, ownUID: ownUID))
    }
}
