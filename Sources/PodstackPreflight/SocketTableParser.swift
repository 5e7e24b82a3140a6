import PodstackHost

/// One socket from /proc/net/{tcp,tcp6,udp,udp6} that holds a local port: a listening TCP socket or a
/// bound UDP socket.
public struct SocketEntry: Sendable, Hashable {
    public var address: HostAddress
    public var port: Int
    public var transport: TransportProtocol
    /// The owning uid. Every user can see it, which is what is left to say when /proc/PID/fd is closed.
    public var uid: Int
    /// The socket inode, which /proc/PID/fd links name as `socket:[INODE]`.
    public var inode: UInt64

    public init(address: HostAddress, port: Int, transport: TransportProtocol, uid: Int, inode: UInt64) {
        self.address = address
        self.port = port
        self.transport = transport
        self.uid = uid
        self.inode = inode
    }
}

/// Parses the kernel's socket tables byte by byte. A busy host has thousands of lines; splitting them
/// into Strings costs more than the whole rest of preflight, so each line is scanned in place and only
/// lines whose port is wanted are decoded further.
public enum SocketTableParser {
    /// TCP state 0A is LISTEN; the other states (ESTABLISHED, TIME_WAIT, ...) do not stop a server
    /// that binds with SO_REUSEADDR, as every server and the bind probe do.
    static let tcpListenState = 0x0A

    /// Entries of one table. `isIPv6` says whether addresses are 32 hex digits (tcp6/udp6) or 8.
    /// `wantedPorts` nil keeps every port.
    public static func parse(
        _ bytes: [UInt8], transport: TransportProtocol, isIPv6: Bool, wantedPorts: Set<Int>? = nil
    ) -> [SocketEntry] {
        var entries: [SocketEntry] = []
        bytes.withUnsafeBufferPointer { buffer in
            var lineStart = 0
            var isHeader = true
            while lineStart < buffer.count {
                var lineEnd = lineStart
                while lineEnd < buffer.count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
                if !isHeader,
                    let entry = parseLine(
                        UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd]), transport: transport,
                        isIPv6: isIPv6, wantedPorts: wantedPorts)
                {
                    entries.append(entry)
                }
                isHeader = false
                lineStart = lineEnd + 1
            }
        }
        return entries
    }

    /// Fields: `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...`.
    static func parseLine(
        _ line: UnsafeBufferPointer<UInt8>, transport: TransportProtocol, isIPv6: Bool, wantedPorts: Set<Int>?
    ) -> SocketEntry? {
        var fields = FieldCursor(line: line)
        guard fields.next() != nil, let local = fields.next(), fields.next() != nil,
            let stateField = fields.next(), let state = parseHex(line, stateField)
        else { return nil }
        if transport == .tcp && state != tcpListenState { return nil }
        let hexDigits = isIPv6 ? 32 : 8
        guard local.count == hexDigits + 5, line[local.lowerBound + hexDigits] == UInt8(ascii: ":"),
            let port = parseHex(line, (local.lowerBound + hexDigits + 1)..<local.upperBound), port > 0
        else { return nil }
        if let wantedPorts, !wantedPorts.contains(port) { return nil }
        guard let address = parseAddress(line, local.lowerBound..<(local.lowerBound + hexDigits)) else { return nil }
        for _ in 0..<3 { guard fields.next() != nil else { return nil } }
        guard let uidField = fields.next(), let uid = parseDecimal(line[uidField]),
            fields.next() != nil, let inodeField = fields.next(), let inode = parseDecimal(line[inodeField])
        else { return nil }
        return SocketEntry(address: address, port: port, transport: transport, uid: uid, inode: UInt64(inode))
    }

    /// The kernel prints each 32-bit word of the address in host byte order, so on little-endian
    /// machines 127.0.0.1 reads `0100007F` and ::1 reads `00000000000000000000000001000000`.
    static func parseAddress(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> HostAddress? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var wordStart = range.lowerBound
        while wordStart < range.upperBound {
            guard let word = parseHex(line, wordStart..<(wordStart + 8)) else { return nil }
            let value = UInt32(word)
            let hostOrder = [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value >> $0) }
            bytes.append(contentsOf: UInt32(1).littleEndian == 1 ? hostOrder : hostOrder.reversed())
            wordStart += 8
        }
        if bytes.count == 4 {
            return .v4(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
        return HostAddress(ipv6Bytes: bytes)
    }

    static func parseHex(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 8, range.upperBound <= line.count else { return nil }
        var value = 0
        for index in range {
            let byte = line[index]
            let digit: Int
            switch byte {
            case 0x30...0x39: digit = Int(byte - 0x30)
            case 0x41...0x46: digit = Int(byte - 0x41 + 10)
            case 0x61...0x66: digit = Int(byte - 0x61 + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }
}

/// Walks the space-separated fields of one line without copying it.
struct FieldCursor {
    let line: UnsafeBufferPointer<UInt8>
    var position = 0

    init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

    mutating func next() -> Range<Int>? {
        while position < line.count && (line[position] == 0x20 || line[position] == 0x09) { position += 1 }
        guard position < line.count else { return nil }
        let start = position
        while position < line.count && line[position] != 0x20 && line[position] != 0x09 { position += 1 }
        return start..<position
    }
}
