import PodstackTestSupport
import Testing

@testable import PodstackHost

@Suite("Unit directories")
struct UnitDirectoriesTests {
    @Test("Units linked from wants directories are enabled, with the ports their files name")
    func findsEnabledUnits() throws {
        let tree = try RecordedTree()
        try tree.write(
            "/etc/systemd/system/ollama.service",
            "[Service]\nEnvironment=\"OLLAMA_HOST=0.0.0.0:11434\"\nExecStart=/usr/bin/ollama serve\n")
        try tree.link("/etc/systemd/system/multi-user.target.wants/ollama.service", to: "../ollama.service")
        try tree.write("/usr/lib/systemd/system/qdrant.service", "[Service]\nExecStart=/usr/bin/qdrant --port 6333\n")
        try tree.link(
            "/etc/systemd/system/multi-user.target.wants/qdrant.service", to: "/usr/lib/systemd/system/qdrant.service")
        try tree.write("/usr/lib/systemd/system/disabled.service", "[Service]\nExecStart=/bin/true --port 1\n")
        let units = UnitDirectories(root: tree.root).enabledUnits()
        #expect(units.map(\.name) == ["ollama.service", "qdrant.service"])
        #expect(units.map(\.ports) == [[11434], [6333]])
        #expect(units.last?.unitFile == "/usr/lib/systemd/system/qdrant.service")
        #expect(units.allSatisfy { $0.scope == .system })
    }

    @Test("A NixOS symlink farm is followed inside the root: /etc/systemd/system -> /etc/static -> /nix/store")
    func followsNixOSFarm() throws {
        let tree = try RecordedTree()
        let unitStore = "/nix/store/abc123-unit-ollama.service/ollama.service"
        try tree.write(unitStore, "[Service]\nEnvironment=OLLAMA_HOST=127.0.0.1:11434\n")
        try tree.link("/nix/store/def456-system-units/ollama.service", to: unitStore)
        try tree.link(
            "/nix/store/def456-system-units/multi-user.target.wants/ollama.service", to: "../ollama.service")
        try tree.link("/nix/store/ghi789-etc/etc/systemd/system", to: "/nix/store/def456-system-units")
        try tree.link("/etc/static", to: "/nix/store/ghi789-etc/etc")
        try tree.link("/etc/systemd/system", to: "/etc/static/systemd/system")
        let units = UnitDirectories(root: tree.root).enabledUnits()
        #expect(units.map(\.name) == ["ollama.service"])
        #expect(units.first?.unitFile == unitStore)
        #expect(units.first?.ports == [11434])
    }

    @Test("Absolute links and .. never leave the root, and a link loop ends")
    func staysInsideRoot() throws {
        let tree = try RecordedTree()
        try tree.write("/etc/passwd", "inside\n")
        try tree.link("/a/escape", to: "../../../../../../etc/passwd")
        try tree.link("/a/absolute", to: "/etc/passwd")
        try tree.link("/loop/one", to: "two")
        try tree.link("/loop/two", to: "one")
        let paths = RootedPath(root: tree.root)
        #expect(paths.resolve("/a/escape") == tree.path("/etc/passwd"))
        #expect(paths.resolve("/a/absolute") == tree.path("/etc/passwd"))
        #expect(paths.resolve("/loop/one") == nil)
    }

    @Test("Drop-ins add ports, templates are found for instances, and user units are told apart")
    func readsDropInsTemplatesAndUserUnits() throws {
        let tree = try RecordedTree()
        try tree.write(
            "/lib/systemd/system/postgresql@.service", "[Service]\nExecStart=/usr/bin/pg_ctlcluster %i start\n")
        try tree.link(
            "/etc/systemd/system/multi-user.target.wants/postgresql@15-main.service",
            to: "/lib/systemd/system/postgresql@.service")
        try tree.write(
            "/etc/systemd/system/postgresql@15-main.service.d/port.conf", "[Service]\nEnvironment=PGPORT=5433\n")
        try tree.write(
            "/etc/systemd/user/open-webui.service", "[Service]\nExecStart=/usr/bin/open-webui serve --port 8080\n")
        try tree.link("/etc/systemd/user/default.target.wants/open-webui.service", to: "../open-webui.service")
        let units = UnitDirectories(root: tree.root).enabledUnits()
        #expect(units.map(\.name) == ["postgresql@15-main.service", "open-webui.service"])
        #expect(units.map(\.scope) == [.system, .user])
        #expect(units.first?.unitFile == "/lib/systemd/system/postgresql@.service")
        #expect(units.map(\.ports) == [[5433], [8080]])
    }

    @Test("Drop-ins come in systemd's order: the template's first, by name across directories, /etc hiding /usr/lib")
    func ordersDropIns() throws {
        let tree = try RecordedTree()
        try tree.write("/usr/lib/systemd/system/postgresql@.service", "[Service]\n")
        try tree.write("/usr/lib/systemd/system/postgresql@.service.d/b.conf", "[Service]\nEnvironment=PGPORT=5431\n")
        try tree.write("/etc/systemd/system/postgresql@15-main.service.d/c.conf", "[Service]\n")
        try tree.write(
            "/usr/lib/systemd/system/postgresql@15-main.service.d/port.conf", "[Service]\nExecStart=x -p 1\n")
        try tree.write("/etc/systemd/system/postgresql@15-main.service.d/port.conf", "[Service]\nExecStart=x -p 5433\n")
        try tree.write("/etc/systemd/system/postgresql@15-main.service.d/a.conf", "[Service]\n")
        let units = UnitDirectories(root: tree.root)
        #expect(
            units.dropInFiles(ofUnit: "postgresql@15-main.service") == [
                "/usr/lib/systemd/system/postgresql@.service.d/b.conf",
                "/etc/systemd/system/postgresql@15-main.service.d/a.conf",
                "/etc/systemd/system/postgresql@15-main.service.d/c.conf",
                "/etc/systemd/system/postgresql@15-main.service.d/port.conf",
            ])
        #expect(units.ports(ofUnit: "postgresql@15-main.service") == [5431, 5433])
    }

    @Test(
        "Ports are read from the places unit files name them",
        arguments: [
            ("Environment=\"OLLAMA_HOST=0.0.0.0:11434\"", [11434]),
            ("Environment=OLLAMA_HOST=[::]:11435 OTHER=x", [11435]),
            ("Environment=\"QDRANT__SERVICE__HTTP_PORT=6333\" \"QDRANT__SERVICE__GRPC_PORT=6334\"", [6333, 6334]),
            ("ExecStart=/usr/bin/qdrant --port 6333", [6333]),
            ("ExecStart=/usr/bin/mindsdb --http-port=47334 --api=http", [47334]),
            ("ExecStart=/usr/bin/postgres -p 5432 -D /var/lib/postgresql", [5432]),
            ("ExecStart=/usr/bin/open-webui --listen http://127.0.0.1:8081/", [8081]),
            ("ListenStream=11434", [11434]),
            ("ListenStream=127.0.0.1:6333", [6333]),
            ("ListenDatagram=[::]:53", [53]),
            ("ListenStream=/run/ollama.sock", []),
            ("# ExecStart=/usr/bin/qdrant --port 6333", []),
            ("Description=Listens on 11434 sometimes", []),
            ("ExecStart=/usr/bin/tool --port 99999", []),
            ("ExecStart=/usr/bin/date +%H:%M", []),
        ])
    func readsUnitPorts(line: String, expected: [Int]) {
        #expect(UnitFilePorts.ports(inUnitText: "[Service]\n" + line + "\n") == expected)
    }
}
