import Foundation
import Glibc
import PodstackTestSupport

@testable import PodstackPreflight

/// A real socket bound in this test process: a TCP listener or a bound UDP socket.
///
/// Swift may release an object right after its last use, not at the end of the scope, so a test
/// keeps its listener open with `defer { listener.close() }`; relying on deinit closed sockets
/// before the check ran (seen in `RealListenerTests`).
final class Listener {
    private(set) var descriptor: Int32
    let address: HostAddress
    let port: Int
    let transport: TransportProtocol

    /// Binds `address` on `port` (0 picks a free one); `v6Only` sets IPV6_V6ONLY on an IPv6 socket.
    init(
        _ text: String, port requested: Int = 0, transport: TransportProtocol = .tcp, v6Only: Bool = false,
        reuseAddress: Bool = false
    ) throws {
        guard let address = HostAddress(text: text) else { throw ListenerError.badAddress(text) }
        let family = address.isIPv4 ? AF_INET : AF_INET6
        let type = transport == .tcp ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
        let descriptor = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ListenerError.system("socket", errno) }
        if reuseAddress {
            var flag: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &flag, socklen_t(MemoryLayout<Int32>.size))
        }
        if !address.isIPv4 {
            var flag: Int32 = v6Only ? 1 : 0
            setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &flag, socklen_t(MemoryLayout<Int32>.size))
        }
        var socketAddress = SocketAddressStorage(address: address, port: requested)
        guard socketAddress.withSockaddr({ bind(descriptor, $0, $1) }) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw ListenerError.system("bind", code)
        }
        if transport == .tcp && listen(descriptor, 16) != 0 {
            let code = errno
            Glibc.close(descriptor)
            throw ListenerError.system("listen", code)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let networkPort = withUnsafeBytes(of: storage) { raw in raw.load(fromByteOffset: 2, as: UInt16.self) }
        self.descriptor = descriptor
        self.address = address
        self.port = Int(UInt16(bigEndian: networkPort))
        self.transport = transport
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }

    /// A port that was free a moment ago on every address (bound on :: dual-stack, then released).
    static func freePort(transport: TransportProtocol = .tcp) throws -> Int {
        let listener = try Listener("::", transport: transport)
        defer { listener.close() }
        return listener.port
    }
}

enum ListenerError: Error {
    case badAddress(String)
    case system(String, Int32)
}

/// A listener in a child process, which can be moved into a cgroup of its own.
final class ChildListener {
    let child: ChildProcess
    let port: Int

    /// `busybox httpd` listens on a given address (busybox-static is on every machine of this kind);
    /// python3 stands in where busybox is missing.
    init(port: Int, host: String = "127.0.0.1") throws {
        let busybox = ["/bin/busybox", "/usr/bin/busybox"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if let busybox {
            child = try ChildProcess(
                busybox, ["httpd", "-f", "-p", "\(host):\(port)", "-h", FileManager.default.temporaryDirectory.path])
        } else if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            child = try ChildProcess(
                "/usr/bin/python3",
                [
                    "-c",
                    "import socket,time; s=socket.socket(); s.bind(('\(host)',\(port))); s.listen(); time.sleep(120)",
                ])
        } else {
            throw ChildListenerError.noListenerProgram
        }
        self.port = port
    }

    var pid: Int { Int(child.pid) }

    /// Waits until the kernel refuses a bind on the port, which is when the child is listening.
    func waitUntilListening(address: HostAddress, timeout: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + timeout
        while SystemBindProbe().probe(address: address, port: port, transport: .tcp) != .inUse {
            guard child.isRunning, ContinuousClock.now < deadline else {
                throw ChildListenerError.neverListened(port)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        if child.isRunning { child.killAndReap() }
    }

    deinit { stop() }
}

enum ChildListenerError: Error {
    case noListenerProgram
    case neverListened(Int)
}
