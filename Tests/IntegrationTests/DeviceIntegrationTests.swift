import Foundation
import PodstackTestSupport
import Testing

/// GPUs and devices on the real rootless bed, through the fake CDI device `scripts/testbed.sh up` installs
/// (example.com/gpu=fake0: env PODSTACK_FAKE_GPU=fake0 and the node /dev/pstest-fakegpu0). Checked from
/// inside the containers: rootless, inspect shows no host devices.
@Suite(
    "devices reach the container, and an unresolvable one refuses before anything is created",
    .enabled(if: TestBed.enabled && FileManager.default.fileExists(atPath: "/etc/cdi/podstack-test.yaml")))
struct DeviceIntegrationTests {
    static func podman(_ arguments: [String]) async throws -> String {
        try await ExportTool.podman(arguments).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(
        "a service asking for the fake GPU by devices:, a cdi reservation, or a host path gets its env var and node",
        arguments: [
            ("    devices: [example.com/gpu=fake0]\n", true),
            (
                "    deploy:\n      resources:\n        reservations:\n          devices:\n"
                    + "            - {driver: cdi, device_ids: [example.com/gpu=fake0], capabilities: [gpu]}\n",
                true
            ),
            ("    devices: [\"/dev/pstest-fakegpu0:/dev/pstest-fakegpu0:rw\"]\n", false),
        ])
    func reachesContainer(extra: String, viaCDI: Bool) async throws {
        let stack = try ScratchStack("gpu")
        try stack.write(ScratchStack.service("worker", mode: "sleep", health: false, extra: extra))
        let container = "\(stack.pod)-worker"
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let node = try await Self.podman(["exec", container, "ls", "-l", "/dev/pstest-fakegpu0"])
            #expect(node.hasPrefix("c"), "\(node)")
            // The container's own process: on 4.3.1 `podman exec` does not get the CDI spec's env edits.
            let environment = try await Self.podman(["exec", container, "cat", "/proc/1/environ"])
            let variables = environment.split(separator: "\u{0}").map(String.init)
            #expect(variables.contains("PODSTACK_FAKE_GPU=fake0") == viaCDI, "\(variables)")
        }
    }

    @Test(
        "an unknown device, a missing spec, or gpus: all without an NVIDIA spec refuses with exit 3 and leaves Podman without the pod",
        arguments: ["example.com/gpu=nosuch", "pstest-absent.example/gpu=0", "nvidia.com/gpu=all"])
    func refuses(device: String) async throws {
        let stack = try ScratchStack("nogpu")
        let asked = device.hasPrefix("nvidia.com/") ? "    gpus: all\n" : "    devices: [\(device)]\n"
        try stack.write(ScratchStack.service("worker", mode: "sleep", health: false, extra: asked))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(up.status == 3, "\(up.output)")
            #expect(up.output.contains(device) && up.output.contains("Nothing was created"), "\(up.output)")
            let pods = try await Self.podman(["pod", "ls", "--format", "{{.Name}}"])
            #expect(!pods.split(separator: "\n").contains { $0 == stack.pod }, "\(pods)")
            let preflight = try await podstack.run(["preflight", "--compose-dir", stack.directory, "--json"])
            #expect(preflight.status == 3 && preflight.output.contains("\"devices\""), "\(preflight.output)")
        }
    }

    @Test("podstack info lists the CDI devices Podman can resolve, the bed's fake GPU among them")
    func infoListsDevices() async throws {
        let info = try await PodstackProcess().run(["info"])
        #expect(info.status == 0, "\(info.output)")
        let line = info.stdout.split(separator: "\n").first { $0.hasPrefix("CDI devices:") }
        #expect(line?.contains("example.com/gpu=fake0") == true, "\(info.output)")
    }
}
