import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackMigrate

@Suite("Migration plan: units, data paths and destinations")
struct MigratePlanTests {
    @Test("the typical host's ollama and qdrant are found with their data, sizes and destinations")
    func typicalHost() throws {
        let host = try MigrateHost.typical()
        let plan = try host.planner().plan()
        #expect(plan.services.map(\.kind) == [.ollama, .qdrant])

        let ollama = try #require(plan.services.first { $0.kind == .ollama })
        #expect(ollama.state == .ready)
        #expect(ollama.source == "/usr/share/ollama/.ollama/models")
        #expect(ollama.sourceReason == "OLLAMA_MODELS in ollama.service")
        #expect(ollama.stackService == "local-ai/ollama")
        #expect(ollama.destination == host.dataDirectory + "/ollama/models")
        #expect(ollama.units.map(\.name) == ["ollama.service"])
        #expect(ollama.units.first?.enabled == true)
        #expect(ollama.units.first?.user == "ollama")
        #expect(ollama.tree?.fileCount == 5)
        let bytes: Int64 = 300_000 + 70_000 + 5_000 + 19
        #expect(ollama.tree?.byteCount == bytes)

        let qdrant = try #require(plan.services.first { $0.kind == .qdrant })
        #expect(qdrant.source == "/var/lib/qdrant/storage")
        #expect(qdrant.destination == host.dataDirectory + "/qdrant")
        #expect(qdrant.units.first?.files == ["/usr/lib/systemd/system/qdrant.service"])
        #expect(qdrant.tree?.fileCount == 5)
        #expect(qdrant.tree?.entries.contains { $0.kind == .symlink(target: "segments/seg-1") } == true)
    }

    /// Each case: the unit text (and extra files), and where the data should be found.
    struct SourceCase: Sendable, CustomTestStringConvertible {
        var name: String
        var unitName: String
        var unit: String
        var files: [String: String] = [:]
        var links: [String: String] = [:]
        var expected: String
        var reason: String
        var testDescription: String { name }
    }

    static let sourceCases: [SourceCase] = [
        SourceCase(
            name: "ollama's User= home from etc/passwd", unitName: "ollama.service",
            unit: "[Service]\nUser=ollama\n", files: ["/usr/share/ollama/.ollama/models/blobs/x": "1"],
            expected: "/usr/share/ollama/.ollama/models",
            reason: "home of user ollama (/usr/share/ollama), ollama.service"),
        SourceCase(
            name: "ollama without User= runs as root", unitName: "ollama.service",
            unit: "[Service]\nExecStart=/bin/ollama serve\n",
            files: ["/root/.ollama/models/blobs/x": "1"], expected: "/root/.ollama/models",
            reason: "home of user root (/root), ollama.service"),
        SourceCase(
            name: "OLLAMA_MODELS from an EnvironmentFile, overriding a drop-in's", unitName: "ollama.service",
            unit: "[Service]\nUser=ollama\nEnvironmentFile=-/etc/default/ollama\n",
            files: [
                "/etc/default/ollama": "# models on the big disk\nOLLAMA_MODELS=\"/srv/models\"\n",
                "/etc/systemd/system/ollama.service.d/10-models.conf":
                    "[Service]\nEnvironment=OLLAMA_MODELS=/elsewhere\n",
                "/srv/models/blobs/x": "1",
            ],
            expected: "/srv/models", reason: "OLLAMA_MODELS in ollama.service"),
        SourceCase(
            name: "a drop-in's empty Environment= clears the unit's", unitName: "ollama.service",
            unit: "[Service]\nEnvironment=OLLAMA_MODELS=/gone\n",
            files: [
                "/etc/systemd/system/ollama.service.d/override.conf": "[Service]\nEnvironment=\nUser=ollama\n",
                "/usr/share/ollama/.ollama/models/x": "1",
            ],
            expected: "/usr/share/ollama/.ollama/models",
            reason: "home of user ollama (/usr/share/ollama), ollama.service"),
        SourceCase(
            name: "qdrant's ./storage under its WorkingDirectory", unitName: "qdrant.service",
            unit: "[Service]\nWorkingDirectory=/opt/qdrant\n", files: ["/opt/qdrant/storage/raft_state.json": "{}"],
            expected: "/opt/qdrant/storage", reason: "WorkingDirectory= of qdrant.service"),
        SourceCase(
            name: "qdrant's storage_path from its config file", unitName: "qdrant.service",
            unit: "[Service]\nWorkingDirectory=/opt/qdrant\n",
            files: [
                "/etc/qdrant/config.yaml": "storage:\n  storage_path: /data/qdrant # big disk\n",
                "/data/qdrant/raft_state.json": "{}",
            ],
            expected: "/data/qdrant", reason: "storage_path in /etc/qdrant/config.yaml"),
        SourceCase(
            name: "QDRANT__STORAGE__STORAGE_PATH relative to the WorkingDirectory", unitName: "qdrant.service",
            unit: "[Service]\nWorkingDirectory=/srv/q\nEnvironment=QDRANT__STORAGE__STORAGE_PATH=vectors\n",
            files: ["/srv/q/vectors/raft_state.json": "{}"], expected: "/srv/q/vectors",
            reason: "QDRANT__STORAGE__STORAGE_PATH in qdrant.service"),
        SourceCase(
            name: "a NixOS host: unit directory and DynamicUser state directory are links", unitName: "ollama.service",
            unit:
                "[Service]\nDynamicUser=true\nStateDirectory=ollama\nEnvironment=\"HOME=/var/lib/ollama\" \"OLLAMA_MODELS=/var/lib/ollama/models\"\n",
            files: ["/var/lib/private/ollama/models/blobs/x": "1"], links: ["/var/lib/ollama": "private/ollama"],
            expected: "/var/lib/ollama/models", reason: "OLLAMA_MODELS in ollama.service"),
    ]

    @Test("the data directory is found where the unit keeps it", arguments: sourceCases)
    func sourceFound(_ testCase: SourceCase) throws {
        let host = try MigrateHost()
        try host.write("/etc/passwd", "root:x:0:0::/root:/bin/bash\nollama:x:998:998::/usr/share/ollama:/bin/false\n")
        try host.write("/etc/systemd/system/\(testCase.unitName)", testCase.unit)
        for (path, text) in testCase.files { try host.write(path, text) }
        for (path, target) in testCase.links { try host.link(path, to: target) }
        let service = try #require(try host.planner().plan().services.first)
        #expect(service.source == testCase.expected)
        #expect(service.sourceReason == testCase.reason)
        #expect(service.state == .ready)
    }

    @Test("Debian's postgresql@16-main instance maps to the aidb postgres data directory, with its notes")
    func debianPostgres() throws {
        let host = try MigrateHost()
        try host.write("/lib/systemd/system/postgresql.service", "[Service]\nType=oneshot\nExecStart=/bin/true\n")
        try host.write(
            "/lib/systemd/system/postgresql@.service",
            "[Service]\nUser=postgres\nExecStart=-/usr/bin/pg_ctlcluster --skip-systemctl-redirect %i start\n")
        try host.link(
            "/etc/systemd/system/multi-user.target.wants/postgresql@16-main.service",
            to: "/lib/systemd/system/postgresql@.service")
        try host.write("/var/lib/postgresql/15/main/PG_VERSION", "15\n")
        try host.write("/var/lib/postgresql/16/main/PG_VERSION", "15\n")
        try host.write("/etc/postgresql/16/main/postgresql.conf", "data_directory = '/var/lib/postgresql/16/main'\n")
        let postgres = try #require(try host.planner().plan().services.first)
        #expect(postgres.kind == .postgres)
        #expect(postgres.units.map(\.name) == ["postgresql.service", "postgresql@16-main.service"])
        #expect(postgres.source == "/var/lib/postgresql/16/main")
        #expect(postgres.stackService == "aidb/postgres")
        #expect(postgres.destination == host.dataDirectory + "/aidb-postgres")
        #expect(postgres.notes.contains { $0.contains("PostgreSQL 15 (PG_VERSION)") && $0.contains("postgres:15") })
        #expect(postgres.notes.contains { $0.contains("/etc/postgresql/16/main") })
    }

    @Test("units present but with no data anywhere are listed with the places looked in")
    func noData() throws {
        let host = try MigrateHost()
        try host.write("/etc/systemd/system/qdrant.service", "[Service]\nExecStart=/usr/bin/qdrant\n")
        let qdrant = try #require(try host.planner().plan().services.first)
        #expect(qdrant.state == .noData)
        #expect(qdrant.lookedIn == ["/var/lib/qdrant/storage"])
    }

    @Test("a host without any of the stack's units gives an empty plan")
    func nothingToMigrate() throws {
        let host = try MigrateHost()
        try host.write("/etc/systemd/system/nginx.service", "[Service]\nExecStart=/usr/sbin/nginx\n")
        #expect(try host.planner().plan().services.isEmpty)
    }

    @Test("a running qdrant is refused (its data is rewritten in place); a running ollama is copied")
    func runningUnits() throws {
        let host = try MigrateHost.typical()
        let plan = try host.planner(running: ["ollama.service", "qdrant.service"]).plan()
        #expect(
            plan.services.first { $0.kind == .qdrant }?.notes.contains {
                $0.contains("sudo systemctl stop qdrant.service")
            } == true)
        let outcome = try MigrationExecutor().execute(plan)
        #expect(outcome.reports.first { $0.service == "qdrant" }?.runningUnits == ["qdrant.service"])
        #expect(outcome.reports.first { $0.service == "qdrant" }?.copiedFiles == 0)
        #expect(outcome.reports.first { $0.service == "ollama" }?.isComplete == true)
        #expect(!outcome.isComplete)
        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory + "/qdrant"))
    }
}

@Suite("Migration plan: running units come from the root's cgroup tree")
struct MigrateRunningUnitTests {
    @Test("on a recorded v2 tree only a system unit with processes is running; the real host's tree is not read")
    func runningFromRecordedTree() throws {
        let host = try MigrateHost.typical()
        try host.write("/sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n")
        try host.write("/sys/fs/cgroup/system.slice/ollama.service/cgroup.procs", "")
        try host.write("/sys/fs/cgroup/system.slice/ollama.service/runner/cgroup.procs", "812\n")
        try host.write("/sys/fs/cgroup/system.slice/qdrant.service/cgroup.procs", "")
        try host.write(
            "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/qdrant.service/cgroup.procs",
            "2001\n")
        let units = try host.planner().plan().services.flatMap(\.units)
        #expect(units.first { $0.name == "ollama.service" }?.running == true)
        #expect(units.first { $0.name == "qdrant.service" }?.running == false)
    }

    @Test("a root without a cgroup tree has no running units")
    func nothingRunningWithoutTree() throws {
        let host = try MigrateHost.typical()
        let units = try host.planner().plan().services.flatMap(\.units)
        #expect(!units.isEmpty)
        #expect(units.allSatisfy { !$0.running })
    }
}
