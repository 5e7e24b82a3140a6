import Foundation
import Glibc
import PodstackTestSupport
import Synchronization
import Testing

/// `podstack migrate` run as a whole process, as a user would, against a scratch host tree given with
/// `--root`: the plan it prints, the bytes it copies, its refusals and its exit codes. The library parts are
/// tested in PodstackCoreTests (Migrate*.swift); these hold the command line to docs/migration.md.
///
/// With `--root` no unit counts as running and nothing needs root. Only the final preflight talks to Podman
/// (the test bed when there is one, through PodstackProcess's CONTAINER_HOST; without it the command checks
/// the ports on its own and says so), and every port of the stack is moved to a free one so that it passes.
@Suite("podstack migrate from the command line, against a scratch host tree")
struct MigrateCommandTests {
    static let composeDirectory = RealStackIntegrationTests.composeDirectory

    /// The repository's stack publishes these ports; each test moves all of them to free ones.
    static let portVariables = [
        "OLLAMA_PORT", "QDRANT_HTTP_PORT", "QDRANT_GRPC_PORT", "OPEN_WEBUI_PORT", "MINDSDB_API_PORT",
        "MINDSDB_GUI_PORT", "AIDB_POSTGRES_PORT", "AIDB_API_PORT",
    ]

    static func arguments(_ host: MigrateScratchHost, _ extra: [String] = []) -> [String] {
        ["migrate", "--from-system", "--root", host.root, "--compose-dir", composeDirectory] + extra
    }

    /// The plan's block for one service, exactly as docs/migration.md shows it.
    static func planBlock(
        _ service: String, pod: String, unit: String, user: String, source: String, reason: String,
        destination: String, size: String
    ) -> String {
        """
        \(service)  -> \(pod)/\(service)
          units:        \(unit) (enabled, User=\(user))
          source:       \(source)  (\(reason))
          destination:  \(destination)
          size:         \(size)
        """
    }

    @Test(
        "without --execute the plan names each unit, source, destination, size and disable command, and writes nothing")
    func planOnly() async throws {
        let host = try MigrateScratchHost()
        let result = try await host.podstack().run(Self.arguments(host), limit: .seconds(60))
        #expect(result.status == 0, "\(result.output)")
        let out = result.stdout
        #expect(
            out.hasPrefix(
                "Migration from system units under \(host.root) into the stack's data directories (plan only; nothing is changed):\n"
            ), "\(out)")
        #expect(
            out.contains(
                Self.planBlock(
                    "ollama", pod: "local-ai", unit: "ollama.service", user: "ollama",
                    source: MigrateScratchHost.ollamaSource, reason: "OLLAMA_MODELS in ollama.service",
                    destination: host.dataDirectory + "/ollama/models", size: "1.6 MB in 5 files")), "\(out)")
        #expect(
            out.contains(
                Self.planBlock(
                    "qdrant", pod: "local-ai", unit: "qdrant.service", user: "qdrant",
                    source: MigrateScratchHost.qdrantSource, reason: "storage_path in /etc/qdrant/config.yaml",
                    destination: host.dataDirectory + "/qdrant", size: "49.0 kB in 5 files")), "\(out)")
        // Only the two units the host has: no other service of the stack is in the plan.
        for absent in ["open-webui  ->", "mindsdb  ->", "postgres  ->"] {
            #expect(!out.contains(absent), "\(absent) in \(out)")
        }
        #expect(
            out.contains(
                """
                Commands:
                  podstack migrate --root \(host.root) --compose-dir \(Self.composeDirectory) --execute    # copy and verify; the sources stay as they are
                  # the units under \(host.root) are not this host's; on the system that runs them:
                  sudo systemctl disable --now ollama.service
                  sudo systemctl disable --now qdrant.service
                  podstack preflight    # confirms the ports are free
                  podstack up
                """), "\(out)")
        // A plan is not a copy: no preflight, no progress, nothing on disk.
        #expect(!out.contains("Preflight"), "\(out)")
        #expect(!out.contains("verified by SHA-256"), "\(out)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory), "the plan created \(host.dataDirectory)")
        #expect(host.sourceProblems().isEmpty, "\(host.sourceProblems())")
        #expect(host.sudoCalls.isEmpty, "\(host.sudoCalls)")
    }

    @Test(
        "--execute copies every file byte for byte, keeps the sources, exits 0 with free ports, and a rerun copies nothing"
    )
    func executeAndRerun() async throws {
        let host = try MigrateScratchHost()
        let podstack = try host.podstack()
        let first = try await podstack.run(Self.arguments(host, ["--execute"]), limit: .seconds(60))
        #expect(first.status == 0, "\(first.output)")
        let out = first.stdout
        #expect(
            out.hasPrefix(
                "Migration from system units under \(host.root) into the stack's data directories:\n"), "\(out)")
        #expect(
            out.contains(
                "ollama    copied 5 files (1.6 MB); 5 verified by SHA-256 -> \(host.dataDirectory)/ollama/models\n"),
            "\(out)")
        #expect(
            out.contains(
                "qdrant    copied 5 files (49.0 kB), 1 link; 5 verified by SHA-256 -> \(host.dataDirectory)/qdrant\n"),
            "\(out)")
        #expect(
            out.contains(
                """
                The data is safe in the stack's directories. Retire the system units (podstack runs sudo only with --disable-units):
                  sudo systemctl disable --now ollama.service
                  sudo systemctl disable --now qdrant.service
                """), "\(out)")
        host.expectFreePorts(in: out)
        #expect(first.stderr.contains("ollama: 1.6 MB of 1.6 MB, 5 of 5 files"), "\(first.stderr)")
        #expect(first.stderr.contains("qdrant: 49.0 kB of 49.0 kB, 5 of 5 files"), "\(first.stderr)")

        #expect(host.copyProblems().isEmpty, "\(host.copyProblems())")
        #expect(host.sourceProblems().isEmpty, "\(host.sourceProblems())")
        #expect(host.sudoCalls.isEmpty, "\(host.sudoCalls)")
        // The rest of the ollama user's home is not model data.
        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory + "/ollama/id_ed25519"))
        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory + "/ollama/models/id_ed25519"))
        let copied = host.destinationIdentities()
        #expect(copied.count == 10, "\(copied)")

        let second = try await podstack.run(Self.arguments(host, ["--execute"]), limit: .seconds(60))
        #expect(second.status == 0, "\(second.output)")
        #expect(
            second.stdout.contains(
                "ollama    copied 0 files (0 B), 5 already there; 5 verified by SHA-256 -> \(host.dataDirectory)/ollama/models\n"
            ), "\(second.stdout)")
        #expect(
            second.stdout.contains(
                "qdrant    copied 0 files (0 B), 5 already there; 5 verified by SHA-256 -> \(host.dataDirectory)/qdrant\n"
            ), "\(second.stdout)")
        host.expectFreePorts(in: second.stdout)
        // Nothing rewritten: the same inodes with the same change times, and still the source's bytes.
        #expect(host.destinationIdentities() == copied)
        #expect(host.copyProblems().isEmpty, "\(host.copyProblems())")
        #expect(host.sourceProblems().isEmpty, "\(host.sourceProblems())")
    }

    @Test("a destination file that differs is refused with exit 7 and kept; --overwrite replaces it")
    func conflictThenOverwrite() async throws {
        let host = try MigrateScratchHost()
        let destination = host.dataDirectory + "/qdrant"
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        // Same size as the source's {"state":1}: only the checksum tells them apart.
        let different = Data(#"{"state":2}"#.utf8)
        try different.write(to: URL(fileURLWithPath: destination + "/raft_state.json"))
        let unrelated = Data("the user's own file\n".utf8)
        try unrelated.write(to: URL(fileURLWithPath: destination + "/unrelated.json"))
        let podstack = try host.podstack()

        let refused = try await podstack.run(Self.arguments(host, ["--execute"]), limit: .seconds(60))
        #expect(refused.status == 7, "\(refused.output)")
        #expect(
            refused.stdout.contains(
                "qdrant    REFUSED: 1 destination entry differs from the source: raft_state.json. Nothing was written for qdrant. Move them away, or rerun with --overwrite to replace them."
            ), "\(refused.stdout)")
        #expect(FileManager.default.contents(atPath: destination + "/raft_state.json") == different)
        #expect(FileManager.default.contents(atPath: destination + "/unrelated.json") == unrelated)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: destination).sorted() == [
                "raft_state.json", "unrelated.json",
            ])
        // One refusal does not leave the other service undone, and only its unit is offered for retiring.
        #expect(
            refused.stdout.contains(
                "ollama    copied 5 files (1.6 MB); 5 verified by SHA-256 -> \(host.dataDirectory)/ollama/models\n"),
            "\(refused.stdout)")
        #expect(refused.stdout.contains("  sudo systemctl disable --now ollama.service"), "\(refused.stdout)")
        #expect(!refused.stdout.contains("sudo systemctl disable --now qdrant.service"), "\(refused.stdout)")
        #expect(host.sourceProblems().isEmpty, "\(host.sourceProblems())")

        let replaced = try await podstack.run(Self.arguments(host, ["--execute", "--overwrite"]), limit: .seconds(60))
        #expect(replaced.status == 0, "\(replaced.output)")
        #expect(
            replaced.stdout.contains(
                "qdrant    copied 5 files (49.0 kB), 1 replaced, 1 link; 5 verified by SHA-256 -> \(destination)\n"),
            "\(replaced.stdout)")
        #expect(
            FileManager.default.contents(atPath: destination + "/raft_state.json")
                == host.sources["/var/lib/qdrant/storage/raft_state.json"])
        #expect(FileManager.default.contents(atPath: destination + "/unrelated.json") == unrelated)
        #expect(host.copyProblems().isEmpty, "\(host.copyProblems())")
        #expect(host.sourceProblems().isEmpty, "\(host.sourceProblems())")
        #expect(host.sudoCalls.isEmpty, "\(host.sudoCalls)")
    }

    @Test("--disable-units without --execute, or with --root, is a usage error (64) that changes nothing")
    func disableUnitsMisused() async throws {
        let host = try MigrateScratchHost()
        let podstack = try host.podstack()

        let withoutExecute = try await podstack.run(Self.arguments(host, ["--disable-units"]), limit: .seconds(60))
        #expect(withoutExecute.status == 64, "\(withoutExecute.output)")
        #expect(
            withoutExecute.stderr.contains(
                "--disable-units needs --execute: units are retired only after their data is copied."),
            "\(withoutExecute.stderr)")
        #expect(withoutExecute.stdout.isEmpty, "\(withoutExecute.stdout)")

        let underRoot = try await podstack.run(
            Self.arguments(host, ["--execute", "--disable-units"]), limit: .seconds(60))
        #expect(underRoot.status == 64, "\(underRoot.output)")
        #expect(
            underRoot.stderr.contains(
                "--disable-units acts on this host's units; the units under --root \(host.root) are not running here."),
            "\(underRoot.stderr)")
        #expect(underRoot.stdout.isEmpty, "\(underRoot.stdout)")

        #expect(!FileManager.default.fileExists(atPath: host.dataDirectory), "\(host.dataDirectory) was created")
        #expect(host.sourceProblems().isEmpty, "\(host.sourceProblems())")
        #expect(host.sudoCalls.isEmpty, "sudo was run: \(host.sudoCalls)")
    }

    @Test("a port still taken after a complete copy is exit 3, with the data copied and the port named")
    func portStillTaken() async throws {
        // Held before the host is made: a port picked free and bound later can be taken in between.
        let listener = try TCPListener(port: 0)
        defer { listener.close() }
        let port = listener.port
        let host = try MigrateScratchHost(ports: ["OLLAMA_PORT": String(port)])

        let result = try await host.podstack().run(Self.arguments(host, ["--execute"]), limit: .seconds(60))
        #expect(result.status == 3, "\(result.output)")
        #expect(
            result.stdout.contains(
                "ollama    copied 5 files (1.6 MB); 5 verified by SHA-256 -> \(host.dataDirectory)/ollama/models\n"),
            "\(result.stdout)")
        let row = result.stdout.split(separator: "\n").first { $0.contains(":\(port)/tcp") }.map(String.init)
        #expect(row?.hasPrefix("ollama ") == true, "\(result.stdout)")
        #expect(row?.contains(" conflict ") == true, "\(result.stdout)")
        #expect(host.copyProblems().isEmpty, "\(host.copyProblems())")
        #expect(host.sourceProblems().isEmpty, "\(host.sourceProblems())")
        #expect(host.sudoCalls.isEmpty, "\(host.sudoCalls)")
    }

    @Test(
        "a blob a writer keeps appending to during --execute is CHANGED WHILE COPIED, not placed, exit 6, no 'data is safe'"
    )
    func movingSource() async throws {
        let host = try MigrateScratchHost()
        let blob = host.root + MigrateScratchHost.ollamaSource + "/blobs/sha256-aaaa"
        let descriptor = open(blob, O_WRONLY | O_APPEND)
        try #require(descriptor >= 0)
        // A pull in progress: 4 KiB appended every 2 ms from before the plan until after the command ends.
        final class Switch: Sendable { let on = Mutex(true) }
        let writing = Switch()
        let writer = Thread {
            let chunk = [UInt8](repeating: 0x5A, count: 4_096)
            while writing.on.withLock({ $0 }) {
                _ = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                usleep(2_000)
            }
            close(descriptor)
        }
        writer.start()
        let run = try await host.podstack().run(Self.arguments(host, ["--execute"]), limit: .seconds(60))
        writing.on.withLock { $0 = false }
        #expect(run.status == 6, "\(run.output)")
        #expect(
            run.stdout.contains("CHANGED WHILE COPIED: \(MigrateScratchHost.ollamaSource)/blobs/sha256-aaaa"),
            "\(run.stdout)")
        #expect(run.stdout.contains("Stop it first (sudo systemctl stop ollama.service)"), "\(run.stdout)")
        #expect(!run.stdout.contains("5 verified by SHA-256 -> \(host.dataDirectory)/ollama"), "\(run.stdout)")
        #expect(!run.stdout.contains("sudo systemctl disable --now ollama.service"), "\(run.stdout)")
        #expect(
            !FileManager.default.fileExists(
                atPath: host.destination(of: MigrateScratchHost.ollamaSource + "/blobs/sha256-aaaa")))
    }

    @Test("a sparse 64 MiB blob with 8 KiB of data is copied byte for byte and stays sparse")
    func sparseBlob() async throws {
        let host = try MigrateScratchHost()
        let inside = MigrateScratchHost.ollamaSource + "/blobs/sha256-sparse"
        let descriptor = open(host.root + inside, O_WRONLY | O_CREAT, 0o644)
        try #require(descriptor >= 0)
        for offset in [0, 32 << 20] {
            _ = MigrateHost.bytes(4_096, seed: UInt64(offset + 1)).withUnsafeBytes {
                pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset))
            }
        }
        ftruncate(descriptor, 64 << 20)
        close(descriptor)
        let run = try await host.podstack().run(Self.arguments(host, ["--execute"]), limit: .seconds(120))
        #expect(run.status == 0, "\(run.output)")
        let copy = host.destination(of: inside)
        var source = stat()
        var copied = stat()
        #expect(stat(host.root + inside, &source) == 0 && stat(copy, &copied) == 0)
        #expect(copied.st_size == 64 << 20)
        #expect(copied.st_blocks <= source.st_blocks + 128, "\(copied.st_blocks) blocks of 512 bytes")
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: host.root + inside))
    }
}

/// A scratch directory laid out as a host that ran ollama and qdrant as system units (`host/`, given to
/// `--root`), beside the user's data directory (`data/`, not made yet) and a `sudo` that only records that it
/// was called. Like PodstackTestSupport's MigrateHost.typical(), but with free ports for the stack and every
/// source file's bytes recorded for the checks. Removed when released.
final class MigrateScratchHost {
    static let ollamaSource = "/usr/share/ollama/.ollama/models"
    static let qdrantSource = "/var/lib/qdrant/storage"

    /// The scratch tree and its file helpers, shared with the library's migrate tests (PodstackTestSupport).
    private let host: MigrateHost
    var top: String { host.top }
    var root: String { host.root }
    var dataDirectory: String { host.dataDirectory }
    /// A free port for each port variable of the stack.
    let ports: [String: String]
    /// Every source data file, by its path inside the root, with its bytes.
    private(set) var sources: [String: Data] = [:]
    /// Links inside the data, by path inside the root, with their targets.
    private(set) var links: [String: String] = [:]

    /// `ports` fixes some variables' ports (a port a test already holds); the others get free ones.
    init(ports fixed: [String: String] = [:]) throws {
        host = try MigrateHost()
        // The user's data directory does not exist yet: a plan must not make it, a copy must.
        try FileManager.default.removeItem(atPath: host.dataDirectory)
        var ports = fixed
        for variable in MigrateCommandTests.portVariables where ports[variable] == nil {
            ports[variable] = String(HostNet.freePort())
        }
        self.ports = ports
        try write(
            "/etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nollama:x:998:998::/usr/share/ollama:/bin/false\n"
                + "qdrant:x:997:997::/var/lib/qdrant:/usr/sbin/nologin\n")
        try write(
            "/etc/systemd/system/ollama.service",
            """
            [Unit]
            Description=Ollama Service

            [Service]
            ExecStart=/usr/local/bin/ollama serve
            User=ollama
            Environment="OLLAMA_HOST=127.0.0.1:11434" "OLLAMA_MODELS=\(Self.ollamaSource)"

            [Install]
            WantedBy=multi-user.target

            """)
        try link(
            "/etc/systemd/system/multi-user.target.wants/ollama.service", to: "/etc/systemd/system/ollama.service")
        try write(
            "/usr/lib/systemd/system/qdrant.service",
            "[Service]\nUser=qdrant\nWorkingDirectory=/var/lib/qdrant\nExecStart=/usr/bin/qdrant\n")
        try link(
            "/etc/systemd/system/multi-user.target.wants/qdrant.service", to: "/usr/lib/systemd/system/qdrant.service")
        try write("/etc/qdrant/config.yaml", "storage:\n  storage_path: \(Self.qdrantSource)\n")

        // 1,575,019 bytes in 5 files; the first blob spans two copy chunks (1 MiB each).
        let models = Self.ollamaSource
        try data("\(models)/blobs/sha256-aaaa", Self.bytes(1_500_000, seed: 1))
        try data("\(models)/blobs/sha256-bbbb", Self.bytes(70_000, seed: 2))
        try data("\(models)/blobs/sha256-cccc", Self.bytes(5_000, seed: 3))
        try data("\(models)/blobs/empty", [])
        try data("\(models)/manifests/registry.ollama.ai/library/llama3/latest", Array(#"{"schemaVersion":2}"#.utf8))
        try write("/usr/share/ollama/.ollama/id_ed25519", "not a model: not copied")
        // 49,035 bytes in 5 files, and a link inside the tree.
        let storage = Self.qdrantSource
        try data("\(storage)/raft_state.json", Array(#"{"state":1}"#.utf8))
        try data("\(storage)/aliases/data.json", Array("{}".utf8))
        try data("\(storage)/collections/docs/config.json", Array(#"{"vectors":{"size":4}}"#.utf8))
        try data("\(storage)/collections/docs/segments/seg-1/data.bin", Self.bytes(40_000, seed: 4))
        try data("\(storage)/collections/docs/segments/seg-2/data.bin", Self.bytes(9_000, seed: 5))
        try link("\(storage)/collections/docs/current", to: "segments/seg-1")
        links["\(storage)/collections/docs/current"] = "segments/seg-1"

        // `podstack migrate --disable-units` runs `/usr/bin/env sudo systemctl ...`: this one comes first on
        // PATH, so that a command that should have been refused cannot touch this host's units.
        try FileManager.default.createDirectory(atPath: top + "/bin", withIntermediateDirectories: true)
        let sudo = top + "/bin/sudo"
        try "#!/bin/sh\necho \"$*\" >> '\(top)/sudo-calls'\nexit 1\n".write(
            toFile: sudo, atomically: true, encoding: .utf8)
        chmod(sudo, 0o755)
    }

    /// podstack with this host's data directory, free ports and recording sudo; as the user, not via sudo.
    func podstack() throws -> PodstackProcess {
        var extra = ports
        extra["PATH"] = top + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        // The runtime directory inside the scratch tree too, so that it goes with it.
        try FileManager.default.createDirectory(atPath: top + "/run", withIntermediateDirectories: true)
        var process = try PodstackProcess(runtimeDirectory: top + "/run", dataDirectory: dataDirectory, extra: extra)
        process.environment["SUDO_UID"] = nil
        process.environment["SUDO_GID"] = nil
        process.environment["PODSTACK_COMPOSE_DIR"] = nil
        return process
    }

    /// The arguments sudo was called with, one line per call.
    var sudoCalls: [String] {
        ((try? String(contentsOfFile: top + "/sudo-calls", encoding: .utf8)) ?? "").split(separator: "\n").map(
            String.init)
    }

    /// Where the copy of a source path (inside the root) belongs.
    func destination(of inside: String) -> String {
        for (source, target) in [
            (Self.ollamaSource, dataDirectory + "/ollama/models"), (Self.qdrantSource, dataDirectory + "/qdrant"),
        ] where inside.hasPrefix(source + "/") {
            return target + inside.dropFirst(source.count)
        }
        return dataDirectory + "/nowhere" + inside
    }

    /// What differs from the sources as written: a file gone or changed, a link moved.
    func sourceProblems() -> [String] {
        var problems: [String] = []
        for (inside, bytes) in sources.sorted(by: { $0.key < $1.key })
        where FileManager.default.contents(atPath: root + inside) != bytes {
            problems.append("source \(inside) changed or gone")
        }
        for (inside, target) in links
        where (try? FileManager.default.destinationOfSymbolicLink(atPath: root + inside)) != target {
            problems.append("source link \(inside) changed or gone")
        }
        return problems
    }

    /// What the destination lacks: a file without the source's exact bytes, a link not copied as the same
    /// link, or a partial left behind.
    func copyProblems() -> [String] {
        var problems: [String] = []
        for (inside, bytes) in sources.sorted(by: { $0.key < $1.key }) {
            let copy = destination(of: inside)
            var info = stat()
            guard lstat(copy, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                problems.append("\(copy): not a file")
                continue
            }
            if FileManager.default.contents(atPath: copy) != bytes { problems.append("\(copy): bytes differ") }
        }
        for (inside, target) in links {
            let copy = destination(of: inside)
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: copy)) != target {
                problems.append("\(copy): not a link to \(target)")
            }
        }
        problems += TreeComparison.partials(under: dataDirectory).map { "partial left: \($0)" }
        return problems
    }

    /// Inode and change time of every copied file: equal before and after a run that wrote nothing.
    func destinationIdentities() -> [String: String] {
        var identities: [String: String] = [:]
        for inside in sources.keys {
            var info = stat()
            guard lstat(destination(of: inside), &info) == 0 else { continue }
            identities[inside] = "\(info.st_ino) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
        }
        return identities
    }

    /// The preflight that ends `--execute` found every one of the stack's ports free.
    func expectFreePorts(in output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let header = TestBed.url == nil ? "\nPreflight" : "\nPreflight:\nSERVICE "
        #expect(output.contains(header), "\(output)", sourceLocation: sourceLocation)
        let rows = output.split(separator: "\n")
        for (variable, port) in ports.sorted(by: { $0.key < $1.key }) {
            let row = rows.first { $0.contains(":\(port)/tcp") }
            #expect(
                row?.split(separator: " ").dropFirst(2).first == "free", "\(variable)=\(port): \(output)",
                sourceLocation: sourceLocation)
        }
    }

    private func write(_ inside: String, _ text: String) throws { try host.write(inside, text) }

    /// A data file: written, and remembered with its bytes for the checks above.
    private func data(_ inside: String, _ bytes: [UInt8]) throws {
        try host.write(inside, bytes: bytes)
        sources[inside] = Data(bytes)
    }

    private func link(_ inside: String, to target: String) throws { try host.link(inside, to: target) }

    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] { MigrateHost.bytes(count, seed: seed) }
}
