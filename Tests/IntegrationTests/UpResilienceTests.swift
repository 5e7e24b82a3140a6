import Foundation
import PodmanAPI
import PodstackCore
import Testing

/// `up` when images are missing, when several runs race, and when it is interrupted.
@Suite("up under missing images, concurrent runs and signals", .enabled(if: TestBed.enabled))
struct UpResilienceTests {
    @Test("a missing image is pulled with progress lines before any pod exists")
    func pullsMissingImage() async throws {
        try await TestBed.pullImageTurns.run { try await pullsMissingImageInTurn() }
    }

    func pullsMissingImageInTurn() async throws {
        let image = try #require(TestBed.environment["PODSTACK_TEST_PULL_IMAGE"])
        let client = try TestBed.client()
        try? await client.removeImage(image, force: true)
        let stack = try ScratchStack("pull")
        try stack.write(
            ScratchStack.service("puller", health: false).replacingOccurrences(of: TestBed.genericImage, with: image))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(up.status == 0, "\(up.output)")
            #expect(up.stderr.contains("pull \(image)"), "progress lines name the image")
            let pullLine = try #require(up.stderr.split(separator: "\n").firstIndex { $0.contains("pulling \(image)") })
            let podLine = try #require(up.stderr.split(separator: "\n").firstIndex { $0.contains("creating pod") })
            #expect(pullLine < podLine)
        }
    }

    @Test("an image that cannot be had stops up before any pod exists, naming the image and its variable")
    func unavailableImage() async throws {
        let stack = try ScratchStack("noimg")
        try stack.write(
            ScratchStack.service("fine", health: false)
                + ScratchStack.service("broken", health: false).replacingOccurrences(
                    of: TestBed.genericImage, with: "${BROKEN_IMAGE:-127.0.0.1:1/podstack/does-not-exist:latest}"))
        let podstack = try PodstackProcess()
        let up = try await podstack.run(["up", "--compose-dir", stack.directory])
        #expect(up.status == 5, "\(up.output)")
        #expect(up.stderr.contains("127.0.0.1:1/podstack/does-not-exist:latest"))
        #expect(up.stderr.contains("BROKEN_IMAGE"))
        #expect(try await TestBed.client().podExists(stack.pod) == false)
    }

    @Test(
        "two, then four, up runs at once on the same stack make exactly one pod and one container per service",
        arguments: [2, 4])
    func concurrentRuns(count: Int) async throws {
        let stack = try ScratchStack("race\(count)")
        try stack.write(ScratchStack.service("a") + ScratchStack.service("b", dependsOn: [("a", "service_healthy")]))
        let shared = try PodstackProcess()  // one runtime directory: the same user's lock
        try await withCleanup({ await shared.down(stack.directory) }) {
            let results = try await withThrowingTaskGroup(of: PodstackProcess.Result.self) { group in
                for _ in 0..<count { group.addTask { try await shared.run(["up", "--compose-dir", stack.directory]) } }
                var all: [PodstackProcess.Result] = []
                for try await result in group { all.append(result) }
                return all
            }
            for result in results { #expect(result.status == 0, "\(result.output)") }
            #expect(results.contains { $0.stderr.contains("waiting for another podstack run") })
            let client = try TestBed.client()
            #expect(try await client.listPods(labels: ["io.podstack.stack=\(stack.pod)"]).count == 1)
            let containers = try await client.listContainers(labels: ["io.podstack.stack=\(stack.pod)"])
            #expect(containers.map(\.name).sorted() == ["\(stack.pod)-a", "\(stack.pod)-b"])
        }
    }

    /// Where in `up` the signal arrives: before anything changed, or while a service waits for healthy.
    enum Moment: String, CaseIterable, Sendable { case atStart, whileWaiting }

    @Test(
        "SIGINT and SIGTERM during up stop it cleanly (exit 130/143), and a rerun converges",
        arguments: [SIGINT, SIGTERM], Moment.allCases)
    func interrupted(signal: Int32, moment: Moment) async throws {
        let stack = try ScratchStack("sig\(signal)")
        try stack.write(
            ScratchStack.service("slow", delay: 4, retries: 20)
                + ScratchStack.service("after", dependsOn: [("slow", "service_healthy")]))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let client = try TestBed.client()
            let name = signal == SIGINT ? "INT" : "TERM"
            // atStart: 0.1 s after launch, before anything changed; whileWaiting: once `slow` is started and
            // waited on, before its dependent could start.
            let result = try await podstack.scenario(
                ["up", "--compose-dir", stack.directory],
                waitForPattern: moment == .whileWaiting ? "/slow +waiting-for-healthy" : nil, delay: 0.1,
                action: "kill -\(name) $PODSTACK_PID")
            #expect(result.status == 128 + signal, "\(result.stderr)")
            #expect(result.secondsAfterAction < 10, "stopped promptly after the signal")
            if moment == .whileWaiting || !result.stderr.isEmpty {
                // Empty stderr at start: the signal came while the binary was still being loaded, before any
                // of podstack's code ran, and the kernel's default action ended it (also 128 + signal).
                #expect(result.stderr.contains("interrupted"), "\(result.stderr)")
            }
            if moment == .whileWaiting {
                #expect(!result.stderr.contains("/after     starting"), "the dependent was not started")
            }

            let rerun = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(rerun.status == 0, "\(rerun.output)")
            let containers = try await client.listContainers(labels: ["io.podstack.stack=\(stack.pod)"])
            #expect(containers.map(\.name).sorted() == ["\(stack.pod)-after", "\(stack.pod)-slow"])
            #expect(try await client.listPods(labels: ["io.podstack.stack=\(stack.pod)"]).count == 1)
        }
    }

    @Test(
        "runtime state a killed Podman left behind (runc's 'container with given ID already exists') does not stop the next up, for the infra container or a service"
    )
    func leftoverRuntimeState() async throws {
        let stack = try ScratchStack("leftover")
        try stack.write(ScratchStack.service("solo", health: false))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            #expect(try await podstack.run(["up", "--compose-dir", stack.directory]).status == 0)
            let client = try TestBed.client()
            try await client.stopPod(stack.pod, timeoutSeconds: 0)
            let infra = try #require(try await client.inspectPod(stack.pod).infraContainerID)
            let solo = try await client.inspectContainer(stack.pod + "-solo").id
            // What the runtime leaves when Podman dies between its create and Podman's record of it: the state
            // directory of the container's ID under the runtime's root (runc's, in the bed's XDG_RUNTIME_DIR).
            for id in [infra, solo] { try Self.plantRuntimeState(of: id) }
            let up = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(up.status == 0, "\(up.output)")
            #expect(try await client.inspectContainer(stack.pod + "-solo").state.status == .running)
        }
    }

    static func plantRuntimeState(of id: String) throws {
        let bed = TestBed.environment["PODSTACK_TESTBED_DIR"] ?? "/var/tmp/podstack-testbed"
        let directory = bed + "/run/runc/" + id
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        if geteuid() == 0, let uid = TestBed.environment["PODSTACK_TESTBED_UID"].flatMap({ uid_t($0) }) {
            #expect(chown(directory, uid, gid_t(uid)) == 0)
        }
    }
}
