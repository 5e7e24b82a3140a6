import Foundation
import PodmanAPI
import PodstackCore
import PodstackTestSupport
import Testing

/// Data that must survive (issue 6): many up/down cycles while services write, and what `down` may remove.
@Suite("Data survives up and down", .enabled(if: TestBed.enabled))
struct SoakTests {
    static let cycles = 5

    /// Two writers: one appends a line per start to its bind-mounted data directory and one to a named
    /// volume; a third streams numbered lines into both for as long as it runs.
    static func services(_ stack: ScratchStack) -> String {
        let volume = "    volumes:\n      - store:/vol\n"
        // The generic image runs its arguments; `$$` is a literal `$` for the compose interpolation.
        let stream = """
            trap 'exit 0' TERM; for f in /data/stream.log /vol/stream.log; do touch $$f; done; \
            n=$$(wc -l < /vol/stream.log); while :; do echo line $$n >> /data/stream.log; \
            echo line $$n >> /vol/stream.log; n=$$((n+1)); sleep 0.1 & wait $$!; done
            """
        return ScratchStack.service(
            "binder", health: false, environment: ["STANDIN_WRITE_FILE": "/data/starts.log"],
            extra: "    volumes:\n      - ${PODSTACK_DATA_DIR}/\(stack.pod)/binder:/data\n")
            + ScratchStack.service(
                "voler", health: false, environment: ["STANDIN_WRITE_FILE": "/vol/starts.log"], extra: volume)
            + ScratchStack.service(
                "streamer", health: false,
                extra:
                    "    command: [\"sh\", \"-c\", \"\(stream)\"]\n    volumes:\n      - ${PODSTACK_DATA_DIR}/\(stack.pod)/streamer:/data\n      - store:/vol\n"
            )
    }

    @Test(
        "data soak: five up/down cycles while services write into bind-mounted data dirs and a named volume keep every write, and the checksums are identical at the end"
    )
    func soak() async throws {
        let stack = try ScratchStack("soak")
        try stack.write(Self.services(stack), extra: "volumes:\n  store: {}\n")
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let client = try TestBed.client()
            let data = try #require(podstack.environment["PODSTACK_DATA_DIR"]) + "/\(stack.pod)"
            let volumeName = "\(stack.pod)_store"

            var seeds: [String: String] = [:]
            var streamed = ""
            var streamedInVolume = ""
            for cycle in 1...Self.cycles {
                let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
                try #require(up.status == 0, "cycle \(cycle): \(up.output)")
                let mountpoint = try #require(try await client.inspectVolume(volumeName).mountpoint)
                if cycle == 1 {
                    // Seed files of random bytes beside the services' own writes, in both kinds of storage.
                    seeds = try await Self.seed([
                        data + "/binder/seed", data + "/streamer/nested/seed", mountpoint + "/seed",
                    ])
                }
                try await Task.sleep(for: .milliseconds(700))  // let the streamer write
                let down = try await podstack.run(["down", "--compose-dir", stack.directory], limit: .seconds(60))
                try #require(down.status == 0, "cycle \(cycle): \(down.output)")

                #expect(try await client.volumeExists(volumeName), "cycle \(cycle): down keeps the named volume")
                // Append-only streams: what the last cycle saw is still there, unchanged, at the start.
                let now = try String(contentsOfFile: data + "/streamer/stream.log", encoding: .utf8)
                let nowInVolume = try String(contentsOfFile: mountpoint + "/stream.log", encoding: .utf8)
                #expect(
                    now.hasPrefix(streamed) && now.count > streamed.count, "cycle \(cycle): bind stream kept and grew")
                #expect(
                    nowInVolume.hasPrefix(streamedInVolume) && nowInVolume.count > streamedInVolume.count,
                    "cycle \(cycle): volume stream kept and grew")
                (streamed, streamedInVolume) = (now, nowInVolume)
            }

            let mountpoint = try #require(try await client.inspectVolume(volumeName).mountpoint)
            #expect(
                try await Self.checksums(Array(seeds.keys)) == seeds,
                "seed checksums identical after \(Self.cycles) cycles"
            )
            #expect(
                try Self.lines(data + "/binder/starts.log").count == Self.cycles,
                "one line per start in the bind data dir")
            #expect(
                try Self.lines(mountpoint + "/starts.log").count == Self.cycles,
                "one line per start in the named volume")
            // The streamed lines are numbered 0, 1, 2, ... with no gap, repeat or torn line across all cycles.
            let numbers = try Self.lines(mountpoint + "/stream.log").map {
                $0.split(separator: " ").last.flatMap { Int($0) }
            }
            #expect(numbers == Array(0..<numbers.count).map { Optional($0) }, "volume stream is whole")
            #expect(try Self.lines(data + "/streamer/stream.log") == (try Self.lines(mountpoint + "/stream.log")))

            let gone = try await podstack.run(
                ["down", "--volumes", "--compose-dir", stack.directory], limit: .seconds(60))
            #expect(gone.status == 0, "\(gone.output)")
            #expect(try await client.volumeExists(volumeName) == false, "down --volumes removes the named volume")
            let bindSeeds = seeds.filter { !$0.key.hasPrefix(mountpoint) }
            #expect(
                try await Self.checksums(Array(bindSeeds.keys)) == bindSeeds,
                "down --volumes never deletes bind-mounted data")
        }
    }

    @Test(
        "data: down never deletes bind-mounted data or named volumes; down --volumes removes only this stack's named volumes, never bind data"
    )
    func downKeepsData() async throws {
        let stack = try ScratchStack("keep")
        let other = try ScratchStack("other")
        try stack.write(
            ScratchStack.service(
                "app", health: false, environment: ["STANDIN_WRITE_FILE": "/data/starts.log"],
                extra: "    volumes:\n      - ${PODSTACK_DATA_DIR}/\(stack.pod):/data\n      - cache:/cache\n"),
            extra: "volumes:\n  cache: {}\n")
        try other.write(
            ScratchStack.service("app", health: false, extra: "    volumes:\n      - cache:/cache\n"),
            extra: "volumes:\n  cache: {}\n")
        let podstack = try PodstackProcess()
        try await withCleanup({
            await podstack.down(stack.directory, volumes: true)
            await podstack.down(other.directory, volumes: true)
        }) {
            let client = try TestBed.client()
            let data = try #require(podstack.environment["PODSTACK_DATA_DIR"]) + "/\(stack.pod)"
            try #require(try await podstack.run(["up", "--compose-dir", stack.directory]).status == 0)
            try #require(try await podstack.run(["up", "--compose-dir", other.directory]).status == 0)
            let seeds = try await Self.seed([data + "/seed"])

            #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
            #expect(try await Self.checksums([data + "/seed"]) == seeds)
            #expect(try Self.lines(data + "/starts.log").count == 1)
            #expect(try await client.volumeExists("\(stack.pod)_cache"), "plain down keeps the named volume")

            let removing = try await podstack.run(["down", "--volumes", "--compose-dir", stack.directory])
            #expect(removing.status == 0, "\(removing.output)")
            #expect(removing.stdout.contains("removed volumes \(stack.pod)_cache"), "\(removing.stdout)")
            #expect(try await client.volumeExists("\(stack.pod)_cache") == false)
            #expect(try await client.volumeExists("\(other.pod)_cache"), "another stack's volume is untouched")
            #expect(try await Self.checksums([data + "/seed"]) == seeds, "bind data kept by down --volumes")
            #expect(try Self.lines(data + "/starts.log").count == 1)
            #expect(try await podstack.run(["down", "--volumes", "--compose-dir", other.directory]).status == 0)
        }
    }

    /// Writes 64 KiB of random bytes to each path; their SHA-256 sums.
    static func seed(_ paths: [String]) async throws -> [String: String] {
        var generator = SystemRandomNumberGenerator()
        for path in paths {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let bytes = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return try await checksums(paths)
    }

    /// SHA-256 of each file, by `sha256sum`.
    static func checksums(_ paths: [String]) async throws -> [String: String] {
        let text = await (try ChildProcess("/usr/bin/sha256sum", paths)).finish(within: .seconds(60)).stdout
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            sums[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
        }
        return sums
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
