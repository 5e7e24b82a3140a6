import Foundation
import Glibc
import PodstackCompose
import PodstackMigrate

/// A scratch directory laid out as a host that ran the stack as system units (`host/`), beside the
/// user's empty data directory (`data/`). The stack is the repository's own compose files, loaded with
/// PODSTACK_DATA_DIR pointing at `data/`. Removed when released.
public final class MigrateHost {
    /// The scratch directory; the host is its `host/`, and it goes when this is released.
    private let scratch: RecordedTree
    public var top: String { scratch.root }
    public var root: String { top + "/host" }
    public var dataDirectory: String { top + "/data" }

    public init() throws {
        scratch = try RecordedTree()
        try scratch.directory("/data")
    }

    public func path(_ inside: String) -> String { scratch.path(Self.inHost(inside)) }

    public func write(_ inside: String, _ text: String) throws { try scratch.write(Self.inHost(inside), text) }

    public func write(_ inside: String, bytes: [UInt8], mode: mode_t = 0o644, modified: Int? = nil) throws {
        try scratch.write(Self.inHost(inside), bytes: bytes, mode: mode, modified: modified)
    }

    public func link(_ inside: String, to target: String) throws { try scratch.link(Self.inHost(inside), to: target) }

    private static func inHost(_ inside: String) -> String { "/host" + (inside.hasPrefix("/") ? inside : "/" + inside) }

    /// The repository's compose files, with the data directory in the scratch tree.
    public func stack() throws -> Stack {
        let compose = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("compose")
        let loader = StackLoader(environment: ["PODSTACK_DATA_DIR": dataDirectory, "HOME": top + "/home"])
        return try loader.load(files: [
            compose.appendingPathComponent("local-ai.yml"), compose.appendingPathComponent("aidb.yml"),
        ])
    }

    /// A planner over this host; each unit in `running` gets a process in its cgroup first, in the v1
    /// systemd hierarchy as on this project's machines.
    public func planner(
        access: any SourceFileAccess = SystemFileAccess(), running: Set<String> = []
    ) throws -> MigrationPlanner {
        for unit in running { try write("/sys/fs/cgroup/systemd/system.slice/\(unit)/cgroup.procs", "4242\n") }
        return MigrationPlanner(root: root, stack: try stack(), access: access)
    }

    /// Deterministic bytes, different per seed, so that each file is its own.
    public static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    /// The host the issue describes: ollama.service as user ollama with OLLAMA_MODELS set and enabled by
    /// a wants link, qdrant.service from the distribution's directory working in /var/lib/qdrant, and their
    /// data, including a blob bigger than a copy chunk and a link inside qdrant's tree.
    public static func typical() throws -> MigrateHost {
        let host = try MigrateHost()
        try host.write(
            "/etc/passwd",
            """
            root:x:0:0:root:/root:/bin/bash
            ollama:x:998:998::/usr/share/ollama:/bin/false
            qdrant:x:997:997::/var/lib/qdrant:/usr/sbin/nologin
            alice:x:1000:1000:Alice:/home/alice:/bin/bash

            """)
        try host.write(
            "/etc/systemd/system/ollama.service",
            """
            [Unit]
            Description=Ollama Service
            After=network-online.target

            [Service]
            ExecStart=/usr/local/bin/ollama serve
            User=ollama
            Group=ollama
            Restart=always
            Environment="OLLAMA_HOST=127.0.0.1:11434" "OLLAMA_MODELS=/usr/share/ollama/.ollama/models"

            [Install]
            WantedBy=multi-user.target

            """)
        try host.link(
            "/etc/systemd/system/multi-user.target.wants/ollama.service", to: "/etc/systemd/system/ollama.service")
        try host.write(
            "/usr/lib/systemd/system/qdrant.service",
            """
            [Service]
            User=qdrant
            WorkingDirectory=/var/lib/qdrant
            StateDirectory=qdrant
            ExecStart=/usr/bin/qdrant --config-path /etc/qdrant/config.yaml

            """)
        try host.link(
            "/etc/systemd/system/multi-user.target.wants/qdrant.service", to: "/usr/lib/systemd/system/qdrant.service")
        try host.write("/etc/qdrant/config.yaml", "storage:\n  storage_path: ./storage\nservice:\n  http_port: 6333\n")
        try host.writeTypicalData()
        return host
    }

    /// The data of the typical host's ollama and qdrant, with modes, times and a link to copy exactly.
    private func writeTypicalData() throws {
        let models = "/usr/share/ollama/.ollama/models"
        try write("\(models)/blobs/sha256-aaaa", bytes: Self.bytes(300_000, seed: 1), modified: 1_700_000_000)
        try write(
            "\(models)/blobs/sha256-bbbb", bytes: Self.bytes(70_000, seed: 2), mode: 0o640, modified: 1_700_000_100)
        try write("\(models)/blobs/sha256-cccc", bytes: Self.bytes(5_000, seed: 3))
        try write("\(models)/blobs/empty", bytes: [])
        try write("\(models)/manifests/registry.ollama.ai/library/llama3/latest", #"{"schemaVersion":2}"#)
        try write("/usr/share/ollama/.ollama/id_ed25519", "not a model: not copied")
        let storage = "/var/lib/qdrant/storage"
        try write("\(storage)/raft_state.json", #"{"state":1}"#)
        try write("\(storage)/aliases/data.json", "{}")
        try write("\(storage)/collections/docs/config.json", #"{"vectors":{"size":4}}"#)
        try write(
            "\(storage)/collections/docs/segments/seg-1/data.bin", bytes: Self.bytes(40_000, seed: 4), mode: 0o600)
        try write("\(storage)/collections/docs/segments/seg-2/data.bin", bytes: Self.bytes(9_000, seed: 5))
        try link("\(storage)/collections/docs/current", to: "segments/seg-1")
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
