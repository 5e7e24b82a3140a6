import Foundation
import PodstackTestSupport
import Testing

/// Run-time keys of real compose files (volume driver_opts, resources, security_opt, logging, userns_mode),
/// brought up on the real rootless bed and checked with `podman inspect` or from inside the container.
@Suite("run-time compose keys honoured on the real rootless service", .enabled(if: TestBed.enabled))
struct ComposeRuntimeKeysIntegrationTests {
    static func podman(_ arguments: [String]) async throws -> String {
        try await ComposeKeysIntegrationTests.podman(arguments)
    }

    /// The rootless service's user owns the directory, as a person's own data directory would be theirs:
    /// Podman gives a bind volume's directory to the container's user, which a root-owned one refuses.
    static func userDirectory(_ label: String) throws -> String {
        let directory = try PodstackProcess.temporaryDirectory(label)
        if let uid = ProcessInfo.processInfo.environment["PODSTACK_TESTBED_UID"].flatMap({ UInt32($0) }) {
            chown(directory, uid, gid_t(uid))
        }
        return directory
    }

    @Test(
        "a driver_opts bind volume shows its options in inspect, serves the host directory, and down --volumes keeps the directory's files"
    )
    func volumeDriverOptions() async throws {
        let stack = try ScratchStack("vopt")
        let device = try Self.userDirectory("vdev")
        try "from the host\n".write(toFile: device + "/note", atomically: true, encoding: .utf8)
        chmod(device + "/note", 0o644)
        try stack.write(
            ScratchStack.service(
                "worker", mode: "sleep", health: false, extra: "    volumes: [data:/data, scratch:/scratch]\n"),
            extra: """
                volumes:
                  data:
                    driver: local
                    driver_opts: {type: none, o: bind, device: \(device)}
                  scratch:
                    driver_opts: {type: tmpfs, device: tmpfs, o: "mode=1777"}

                """)
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let worker = "\(stack.pod)-worker"
            let options = try await Self.podman([
                "volume", "inspect", "--format", "{{json .Options}}", "\(stack.pod)_data",
            ])
            #expect(options.contains("\"device\":\"\(device)\"") && options.contains("\"o\":\"bind\""), "\(options)")
            #expect(try await Self.podman(["exec", worker, "cat", "/data/note"]) == "from the host")
            let scratch = try await Self.podman(["exec", worker, "df", "/scratch"])
            #expect(scratch.contains("tmpfs"), "\(scratch)")
            // Another device in the file: the volume is kept as made, and up says how to remake it.
            let file = stack.directory + "/\(stack.pod).yml"
            let moved = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(
                of: device, with: "/var/tmp")
            try moved.write(toFile: file, atomically: true, encoding: .utf8)
            let again = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(
                again.status == 0 && again.output.contains("volume \(stack.pod)_data exists with driver_opts"),
                "\(again.output)")
            #expect(try await Self.podman(["exec", worker, "cat", "/data/note"]) == "from the host")
            #expect(try await podstack.run(["down", "--volumes", "--compose-dir", stack.directory]).status == 0)
            #expect(FileManager.default.fileExists(atPath: device + "/note"))
        }
    }

    @Test("a bind volume whose device does not exist is refused before anything is created")
    func missingDevice() async throws {
        let stack = try ScratchStack("vmiss")
        let device = try PodstackProcess.temporaryDirectory("vgone") + "/not-there"
        try stack.write(
            ScratchStack.service("worker", mode: "sleep", health: false, extra: "    volumes: [data:/data]\n"),
            extra: "volumes:\n  data:\n    driver_opts: {type: none, o: bind, device: \(device)}\n")
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(up.status == 1, "\(up.output)")
            #expect(up.output.contains("\(device): the device of volume 'data'"), "\(up.output)")
            let pods = try await Self.podman(["pod", "ls", "--filter", "name=\(stack.pod)", "--format", "{{.Name}}"])
            #expect(pods.isEmpty, "\(pods)")
            #expect(!FileManager.default.fileExists(atPath: device))
        }
    }

    /// What rootless Podman does with limits depends on the host: on cgroups v2 it applies them, on v1 (both
    /// test beds here) it creates the container without them. RuntimeSpecTests.resourceLimits shows the
    /// create spec podstack sends either way.
    static var limitsApply: Bool { FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") }

    @Test(
        "limits reach Podman, which keeps them on cgroups v2; on cgroups v1 up says, naming the service, that they are ignored"
    )
    func resourceLimits() async throws {
        let stack = try ScratchStack("limit")
        let limits = """
                mem_limit: 64m
                cpus: 0.5
                cpu_shares: 512
                pids_limit: 50
                deploy: {resources: {reservations: {memory: 32m}}}

            """
        try stack.write(
            ScratchStack.service("worker", mode: "sleep", health: false, extra: limits)
                + ScratchStack.service("free", mode: "sleep", health: false))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let host = try #require(
                try await ComposeKeysIntegrationTests.inspect("\(stack.pod)-worker")["HostConfig"] as? [String: Any])
            let kept = [host["Memory"], host["CpuQuota"], host["CpuShares"], host["PidsLimit"]].map { $0 as? Int ?? -1 }
            let warning = "rootless Podman ignores memory, CPU and pids limits: \(stack.pod)/worker will run without"
            if Self.limitsApply {
                #expect(kept == [67_108_864, 50_000, 512, 50], "\(kept)")
                #expect(!up.output.contains(warning), "\(up.output)")
            } else {
                #expect(kept == [0, 0, 0, 0], "Podman kept limits on cgroups v1: \(kept)")
                let line = up.output.split(separator: "\n").first { $0.contains(warning) } ?? ""
                #expect(!line.isEmpty && !line.contains("\(stack.pod)/free"), "\(up.output)")
                let preflight = try await podstack.run(["preflight", "--compose-dir", stack.directory])
                #expect(preflight.output.contains(warning), "\(preflight.output)")
            }
        }
    }

    @Test(
        "a seccomp profile file beside the compose file filters the container's calls; apparmor=unconfined shows in inspect"
    )
    func securityProfiles() async throws {
        let stack = try ScratchStack("secp")
        let profile =
            #"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}"#
        try profile.write(toFile: stack.directory + "/no-mkdir.json", atomically: true, encoding: .utf8)
        chmod(stack.directory + "/no-mkdir.json", 0o644)
        try stack.write(
            ScratchStack.service(
                "worker", mode: "sleep", health: false,
                extra: "    security_opt: [\"seccomp:./no-mkdir.json\", \"apparmor:unconfined\"]\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let worker = "\(stack.pod)-worker"
            let mkdir = try await ExportTool.podman(["exec", worker, "mkdir", "/tmp/blocked"])
            #expect(mkdir.status != 0 && mkdir.output.contains("Operation not permitted"), "\(mkdir)")
            #expect(try await Self.podman(["exec", worker, "touch", "/tmp/allowed"]).isEmpty)
            let host = try #require(
                try await ComposeKeysIntegrationTests.inspect(worker)["HostConfig"] as? [String: Any])
            let security = host["SecurityOpt"] as? [String] ?? []
            #expect(security.contains("apparmor=unconfined"), "\(security)")
        }
    }

    @Test(
        "logging: k8s-file's path and max-size and the none driver show in inspect, and podstack logs reads a json-file log"
    )
    func logging() async throws {
        let stack = try ScratchStack("logs")
        let logDirectory = try Self.userDirectory("logfile")
        try stack.write(
            ScratchStack.service(
                "filed", mode: "sleep", health: false,
                extra: "    logging: {driver: k8s-file, options: {max-size: 1m, path: \(logDirectory)/filed.log}}\n")
                + ScratchStack.service(
                    "json", mode: "sleep", health: false, extra: "    logging: {driver: json-file}\n")
                + ScratchStack.service("quiet", mode: "sleep", health: false, extra: "    logging: {driver: none}\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let filed = try #require(
                try await ComposeKeysIntegrationTests.inspect("\(stack.pod)-filed")["HostConfig"] as? [String: Any])
            let config = try #require(filed["LogConfig"] as? [String: Any], "\(filed)")
            #expect(
                config["Type"] as? String == "k8s-file" && config["Path"] as? String == "\(logDirectory)/filed.log",
                "\(config)")
            #expect(config["Size"] as? String == "1.049MB", "\(config)")
            let quiet = try #require(
                try await ComposeKeysIntegrationTests.inspect("\(stack.pod)-quiet")["HostConfig"] as? [String: Any])
            #expect((quiet["LogConfig"] as? [String: Any])?["Type"] as? String == "none")
            for service in ["filed", "json"] {
                let logs = try await podstack.run(["logs", service, "--compose-dir", stack.directory])
                #expect(
                    logs.status == 0 && logs.output.contains("sleeping until stopped"), "\(service): \(logs.output)")
            }
        }
    }

    @Test("userns_mode keep-id runs every service of the pod as the rootless user's own uid")
    func userNamespace() async throws {
        let stack = try ScratchStack("uns")
        try stack.write(
            ScratchStack.service("worker", mode: "sleep", health: false, extra: "    userns_mode: keep-id\n")
                + ScratchStack.service("other", mode: "sleep", health: false))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let uid = ProcessInfo.processInfo.environment["PODSTACK_TESTBED_UID"] ?? "1001"
            // Both join the infra container's namespace, which keep-id made; Podman 4.3's pod inspect says
            // "private" whatever the mode, so the proof is the uid inside.
            for service in ["worker", "other"] {
                let container = "\(stack.pod)-\(service)"
                #expect(try await Self.podman(["exec", container, "id", "-u"]) == uid, "\(service)")
                let mode = try await Self.podman(["inspect", "--format", "{{.HostConfig.UsernsMode}}", container])
                #expect(mode.hasPrefix("container:"), "\(service): \(mode)")
            }
        }
    }

    @Test("a service whose check has start_period and start_interval comes up healthy")
    func startInterval() async throws {
        let stack = try ScratchStack("sint")
        try stack.write(
            ScratchStack.service("server", extra: "      start_period: 20s\n      start_interval: 1s\n")
                + ScratchStack.service(
                    "client", mode: "sleep", dependsOn: [("server", "service_healthy")], health: false))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(up.status == 0, "\(up.output)")
        }
    }
}
