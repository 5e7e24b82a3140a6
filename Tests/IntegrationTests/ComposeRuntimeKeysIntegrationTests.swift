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

    @Test("a driver_opts bind volume shows its options in inspect, serves the host directory, and down --volumes keeps the directory's files")
    func volumeDriverOptions() async throws {
        let stack = try ScratchStack("vopt")
        let device = try Self.userDirectory("vdev")
        try "from the host\n".write(toFile: device + "/note", atomically: true, encoding: .utf8)
        chmod(device + "/note", 0o644)
        try stack.write(
            ScratchStack.service("worker", mode: "sleep", health: false, extra: "    volumes: [data:/data, scratch:/scratch]\n"),
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
            let options = try await Self.podman(["volume", "inspect", "--format", "{{json .Options}}", "\(stack.pod)_data"])
            #expect(options.contains("\"device\":\"\(device)\"") && options.contains("\"o\":\"bind\""), "\(options)")
            #expect(try await Self.podman(["exec", worker, "cat", "/data/note"]) == "from the host")
            let scratch = try await Self.podman(["exec", worker, "df", "/scratch"])
            #expect(scratch.contains("tmpfs"), "\(scratch)")
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
}
