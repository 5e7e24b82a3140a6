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

    /// The newest CDI version each bed's Podman reads, and one it skips (measured: docs/gpus.md).
    static var specVersions: (newest: String, skipped: String) {
        TestBed.podmanMajor == "5" ? ("0.8.0", "1.0.0") : ("0.5.0", "0.6.0")
    }

    @Test(
        "a spec of the newest CDI version this Podman reads gives the device; one it skips refuses with spec-too-new before anything is created",
        arguments: [true, false])
    func specVersionFollowsPodman(newest: Bool) async throws {
        let version = newest ? Self.specVersions.newest : Self.specVersions.skipped
        let kind = "\(TestBed.uniqueName("cdi")).example/gpu"
        let spec =
            "cdiVersion: \(version)\nkind: \(kind)\ndevices:\n  - name: fake0\n    containerEdits:\n"
            + "      env: [PSTEST_CDI_VERSION=\(version)]\n"
        let files = try BedCDISpec.install(spec, named: kind.replacingOccurrences(of: "/", with: "_"))
        let stack = try ScratchStack("cdiv")
        try stack.write(
            ScratchStack.service("worker", mode: "sleep", health: false, extra: "    devices: [\(kind)=fake0]\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({
            await podstack.down(stack.directory)
            BedCDISpec.remove(files)
        }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            let preflight = try await podstack.run(["preflight", "--compose-dir", stack.directory, "--json"])
            if newest {
                try #require(up.status == 0, "\(up.output)")
                let environment = try await Self.podman(["exec", "\(stack.pod)-worker", "cat", "/proc/1/environ"])
                #expect(environment.contains("PSTEST_CDI_VERSION=\(version)"), "\(environment)")
                #expect(preflight.status == 0, "\(preflight.output)")
            } else {
                #expect(up.status == 3, "\(up.output)")
                #expect(
                    up.output.contains("CDI version \(version)")
                        && up.output.contains("up to \(Self.specVersions.newest)")
                        && up.output.contains("Nothing was created"), "\(up.output)")
                let pods = try await Self.podman(["pod", "ls", "--format", "{{.Name}}"])
                #expect(!pods.split(separator: "\n").contains { $0 == stack.pod }, "\(pods)")
                // preflight asks Podman its version when the stack names CDI devices, and agrees with up.
                #expect(preflight.status == 3 && preflight.output.contains("spec-too-new"), "\(preflight.output)")
            }
        }
    }

    @Test(
        "podstack systemd orders the unit after a disk's device unit and names the CDI spec's node in a comment; systemd-analyze verify accepts it",
        .enabled(if: SystemdUnitTests.analyzer != nil || TestBed.inCI, "systemd-analyze is not installed"))
    func systemdUnitWaitsForDevices() async throws {
        let analyzer = try #require(
            SystemdUnitTests.analyzer, "systemd-analyze is not installed: apt-get install systemd")
        let stack = try ScratchStack("gpuunit")
        try stack.write(
            ScratchStack.service(
                "worker", mode: "sleep", health: false, extra: "    devices: [/dev/sdz, example.com/gpu=fake0]\n"))
        let output = try PodstackProcess.temporaryDirectory("units")
        let run = try await PodstackProcess().run([
            "systemd", "--compose-dir", stack.directory, "--binary", PodstackProcess.binary, "--output", output,
        ])
        #expect(run.status == 0, "\(run.output)")
        let unit = output + "/podstack-\(stack.pod).service"
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        let unitSection = text.components(separatedBy: "[Service]").first ?? ""
        #expect(unitSection.contains("Requires=dev-sdz.device\nAfter=dev-sdz.device\n"), "\(text)")
        // The node comes from the bed's CDI spec, read when the unit is written.
        #expect(unitSection.contains("# /dev/pstest-fakegpu0: no device unit is certain"), "\(text)")
        let verified = try await SystemdUnitTests.verify(unit, with: analyzer)
        let complaints = verified.output.split(separator: "\n").filter { $0.contains("podstack-\(stack.pod)") }
        #expect(verified.status == 0 && complaints.isEmpty, "\(verified.output)\n\(text)")
        // A control: a dependency that is no unit name is reported, so the pass above means the names were read.
        let broken = output + "/podstack-broken.service"
        try text.replacingOccurrences(of: "Requires=dev-sdz.device", with: "Requires=/dev/sdz").write(
            toFile: broken, atomically: true, encoding: .utf8)
        let control = try await SystemdUnitTests.verify(broken, with: analyzer)
        #expect(control.output.contains("Failed to add dependency on /dev/sdz"), "\(control.output)")
    }

    @Test("podstack info lists the CDI devices Podman can resolve, the bed's fake GPU among them")
    func infoListsDevices() async throws {
        let info = try await PodstackProcess().run(["info"])
        #expect(info.status == 0, "\(info.output)")
        let line = info.stdout.split(separator: "\n").first { $0.hasPrefix("CDI devices:") }
        #expect(line?.contains("example.com/gpu=fake0") == true, "\(info.output)")
    }
}

/// CDI specs a test writes where both podstack (this host's /etc/cdi) and the bed's Podman read them: the
/// Podman 5 bed runs in a Debian 13 root of its own, whose /etc/cdi is not this host's (its /dev is).
enum BedCDISpec {
    static var podmanRoot: String? {
        guard TestBed.podmanMajor == "5" else { return nil }
        let directory = TestBed.environment["PODSTACK_TESTBED_DIR"] ?? "/var/tmp/podstack-testbed5"
        return (try? String(contentsOfFile: directory + "/podman5_rootfs", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func install(_ text: String, named name: String) throws -> [String] {
        let files = ["/etc/cdi/\(name).yaml"] + (podmanRoot.map { ["\($0)/etc/cdi/\(name).yaml"] } ?? [])
        for file in files { try text.write(toFile: file, atomically: true, encoding: .utf8) }
        return files
    }

    static func remove(_ files: [String]) {
        for file in files { try? FileManager.default.removeItem(atPath: file) }
    }
}
