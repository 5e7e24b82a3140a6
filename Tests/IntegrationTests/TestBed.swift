import Foundation
import PodmanAPI
import Synchronization
import Testing

/// The real rootless Podman service that `scripts/testbed.sh up` starts (scripts/test.sh does it first).
/// In CI (`CI=true`) a missing test bed fails the tests; elsewhere they are skipped, saying why.
enum TestBed {
    static let environment: [String: String] = {
        var values = ProcessInfo.processInfo.environment
        // A developer who ran `scripts/testbed.sh up` but not test.sh still gets the test bed.
        let directory = values["PODSTACK_TESTBED_DIR"] ?? "/var/tmp/podstack-testbed"
        if values["PODSTACK_TEST_URL"] == nil,
            let text = try? String(contentsOfFile: directory + "/env", encoding: .utf8)
        {
            for line in text.split(separator: "\n") where line.hasPrefix("export ") {
                let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                values[String(pair[0])] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            }
        }
        return values
    }()

    static var url: String? { environment["PODSTACK_TEST_URL"] }
    /// "4" (the host's Podman 4.3) or "5" (scripts/testbed5.sh: Podman 5.4 in a Debian 13 root).
    static var podmanMajor: String { environment["PODSTACK_TESTBED_PODMAN"] ?? "4" }
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    /// Enabled when the test bed is there, and always in CI, where its absence must fail loudly.
    static var enabled: Bool { url != nil || inCI }

    /// 120 s, as PodstackProcess gives the binary (PODSTACK_REQUEST_TIMEOUT): in a full run the bed's Podman
    /// can keep a request waiting on locks for more than 30 s.
    static func client(requestTimeout: Duration = .seconds(120)) throws -> PodmanClient {
        guard let url else {
            throw TestBedMissing()
        }
        return PodmanClient(socketPath: try PodmanSocket.path(fromURL: url), requestTimeout: requestTimeout)
    }

    static var socketPath: String { (try? PodmanSocket.path(fromURL: url ?? "")) ?? "" }

    /// A name no other test or person uses.
    static func uniqueName(_ base: String) -> String {
        "pstest-\(base)-\(UUID().uuidString.prefix(6).lowercased())"
    }

    static let genericImage = "localhost/podstack-standin-generic:latest"

    /// Tests that remove and pull `PODSTACK_TEST_PULL_IMAGE` take turns: one's removal must not land
    /// between the other's pull and its use of the image.
    static let pullImageTurns = Turns()
}

/// One holder at a time, in the order they asked.
actor Turns {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}

extension Podman.ContainerInspect.State {
    /// Made (and perhaps initialized: `up` does that while a service waits for its dependencies), but its
    /// process never started.
    var neverStarted: Bool {
        let startedAt = self.startedAt ?? ""
        return [.created, .initialized].contains(status) && (startedAt.isEmpty || startedAt.hasPrefix("0001-01-01"))
    }
}

struct TestBedMissing: Error, CustomStringConvertible {
    var description: String {
        "no Podman test bed: run `scripts/testbed.sh up` (scripts/test.sh does) or set PODSTACK_TEST_URL"
    }
}

/// Host-side helpers: free ports and plain HTTP over TCP, to reach services through published ports.
enum HostNet {
    /// A port no one listens on, from below the kernel's ephemeral range (32768-60999 here), handed out once
    /// per test process. A port the kernel picks for `bind(0)` is an ephemeral one, which any outgoing
    /// connection (a pull from the local registry, a request to a published port) may take as its local
    /// port before the test's pod binds it: a CI run once failed on "rootlessport ... address already in
    /// use" that way.
    static func freePort() -> Int {
        while true {
            let port = Int.random(in: 20_000..<32_000)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh, isFree(port) { return port }
        }
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// Whether a TCP listener could bind the port on the wildcard address (and so on 127.0.0.1 too).
    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// `GET path` on 127.0.0.1:port; the whole response as text, or nil when nothing answers.
    static func httpGet(port: Int, path: String) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        return response.isEmpty ? nil : String(decoding: response, as: UTF8.self)
    }

    /// Polls `httpGet` until it answers or the deadline passes.
    static func waitForHTTP(port: Int, path: String, within limit: Duration) async -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let answer = httpGet(port: port, path: path) { return answer }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }
}
