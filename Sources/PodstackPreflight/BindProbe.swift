import Glibc

/// What a real bind on an address, port and protocol said.
public enum BindOutcome: Sendable, Hashable {
    case free
    /// EADDRINUSE: something holds the port on an overlapping address.
    case inUse
    /// EADDRNOTAVAIL: the address is not one of this host's (a typo, or an interface that is down).
    case addressUnavailable
    /// EACCES: a port below `net.ipv4.ip_unprivileged_port_start` for a user who may not bind it.
    case permissionDenied
    /// The host text is not an address at all.
    case invalidAddress
    /// Any other errno, kept for the report.
    case failed(errno: Int32)
}

/// The ground truth of preflight: /proc says who, the kernel's answer to a bind says whether. A
/// protocol so that tests on recorded trees decide the answer themselves.
public protocol BindProbe: Sendable {
    func probe(address: HostAddress, port: Int, transport: TransportProtocol) -> BindOutcome
}

/// Binds and closes at once, the way the server about to start would bind: TCP with SO_REUSEADDR
/// (sockets left in TIME_WAIT by an earlier run do not block a server, and must not block the probe),
/// UDP without it (on UDP it would let two sockets share the port and hide the holder). An IPv6
/// wildcard probe stays dual-stack, as Go's listeners in rootlessport are, so a holder on 0.0.0.0
/// blocks a claim on :: just as it will block the real publish.
public struct SystemBindProbe: BindProbe {
    public init() {}

    public func probe(address: HostAddress, port: Int, transport: TransportProtocol) -> BindOutcome {
        guard (1...65535).contains(port) else { return .invalidAddress }
        let family = address.isIPv4 ? AF_INET : AF_INET6
        let type = transport == .tcp ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
        let descriptor = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return .failed(errno: errno) }
        defer { close(descriptor) }
        if transport == .tcp {
            var enable: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))
        }
        var socketAddress = SocketAddressStorage(address: address, port: port)
        let result = socketAddress.withSockaddr { bind(descriptor, $0, $1) }
        guard result != 0 else { return .free }
        switch errno {
        case EADDRINUSE: return .inUse
        case EADDRNOTAVAIL: return .addressUnavailable
        case EACCES: return .permissionDenied
        case let code: return .failed(errno: code)
        }
    }
}

/// A `sockaddr_in` or `sockaddr_in6` built from a `HostAddress`, for bind and for the tests' listeners.
public struct SocketAddressStorage {
    var storage = sockaddr_storage()
    let length: socklen_t

    public init(address: HostAddress, port: Int) {
        let networkPort = UInt16(truncatingIfNeeded: port).bigEndian
        switch address {
        case .v4(let value):
            var ipv4 = sockaddr_in()
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = networkPort
            ipv4.sin_addr = in_addr(s_addr: value.bigEndian)
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: &ipv4) { target.copyMemory(from: $0) }
            }
        case .v6:
            var ipv6 = sockaddr_in6()
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = networkPort
            withUnsafeMutableBytes(of: &ipv6.sin6_addr) { raw in
                for (index, byte) in address.ipv6Bytes.enumerated() { raw[index] = byte }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: &ipv6) { target.copyMemory(from: $0) }
            }
        }
    }

    public mutating func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        let length = self.length
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
