import Glibc

/// An IPv4 or IPv6 address in a form that compares cheaply. IPv4-mapped IPv6 addresses
/// (`::ffff:127.0.0.1`, which a dual-stack socket shows in /proc/net/tcp6) are folded into IPv4, so
/// that one address has one value whichever table it came from.
public enum HostAddress: Sendable, Hashable {
    /// The four bytes in network order, most significant first: 127.0.0.1 is 0x7F00_0001.
    case v4(UInt32)
    /// The sixteen bytes in network order as two big-endian halves.
    case v6(high: UInt64, low: UInt64)

    public static let anyV4 = HostAddress.v4(0)
    public static let anyV6 = HostAddress.v6(high: 0, low: 0)

    /// Builds an address from sixteen network-order bytes, folding the v4-mapped range into IPv4.
    public init<Bytes: Collection>(ipv6Bytes bytes: Bytes) where Bytes.Element == UInt8 {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.prefix(16).enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        if high == 0 && low >> 32 == 0xFFFF {
            self = .v4(UInt32(truncatingIfNeeded: low))
        } else {
            self = .v6(high: high, low: low)
        }
    }

    /// Parses text as Podman and people write it: `127.0.0.1`, `::`, `::1`, `[::1]`, `::ffff:10.0.0.1`.
    /// An empty string is every interface: Podman publishes an omitted host IP on 0.0.0.0.
    public init?(text: String) {
        var trimmed = Substring(text)
        if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") { trimmed = trimmed.dropFirst().dropLast() }
        if trimmed.isEmpty {
            self = .anyV4
            return
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(trimmed), &v4) == 1 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, String(trimmed), &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        self.init(ipv6Bytes: bytes)
    }

    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// 0.0.0.0 or ::, the addresses that mean "every interface of this family".
    public var isWildcard: Bool { self == .anyV4 || self == .anyV6 }

    /// The sixteen network-order bytes; IPv4 comes out v4-mapped, which is what an AF_INET6 socket needs.
    public var ipv6Bytes: [UInt8] {
        switch self {
        case .v4(let value):
            return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + Self.bigEndianBytes(UInt64(value), count: 4)
        case .v6(let high, let low):
            return Self.bigEndianBytes(high, count: 8) + Self.bigEndianBytes(low, count: 8)
        }
    }

    private static func bigEndianBytes(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64(count - 1 - $0))) }
    }
}

extension HostAddress: CustomStringConvertible {
    /// The conventional text form (`127.0.0.1`, `::1`), as `ss` and Podman print it.
    public var description: String {
        switch self {
        case .v4(let value):
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        case .v6:
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { raw in
                for (index, byte) in ipv6Bytes.enumerated() { raw[index] = byte }
            }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// `127.0.0.1:11434` or `[::1]:11434`, the way an address and port are written together.
    public func withPort(_ port: Int) -> String {
        isIPv4 ? "\(description):\(port)" : "[\(description)]:\(port)"
    }
}

extension HostAddress {
    /// Whether a socket bound on `self` and one bound on `other`, same port and protocol, cannot both
    /// exist. The kernel's rules, which are symmetric:
    /// - the same address always collides;
    /// - 0.0.0.0 collides with every IPv4 address, and a specific IPv4 address collides with 0.0.0.0;
    /// - :: collides with every address of both families. Linux's default `bindv6only=0` makes a socket
    ///   on :: dual-stack, and /proc does not show the per-socket IPV6_V6ONLY flag, so :: is taken as
    ///   dual-stack; when it is not, the real bind attempt says so and wins.
    /// - two different specific addresses never collide (192.168.1.5 and 127.0.0.1 can share a port).
    /// Guarded by the overlap table in `AddressOverlapTests`.
    public func overlaps(_ other: HostAddress) -> Bool {
        if self == other || self == .anyV6 || other == .anyV6 { return true }
        if isIPv4 && other.isIPv4 { return self == .anyV4 || other == .anyV4 }
        return false
    }
}
