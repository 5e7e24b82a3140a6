import PodstackTestSupport
import Testing

@testable import PodstackHost
@testable import PodstackPreflight

@Suite("Parsers against random and mutated input")
struct FuzzTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 0xDEAD_BEEF]

    static func randomBytes(_ count: Int, alphabet: [UInt8]? = nil, using generator: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in
            guard let alphabet else { return UInt8.random(in: 0...255, using: &generator) }
            return alphabet.randomElement(using: &generator) ?? 0
        }
    }

    @Test("Random bytes and near-valid text into the socket table parser never trap", arguments: seeds)
    func socketTablesSurviveNoise(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let tableAlphabet = Array("0123456789ABCDEF: \n".utf8)
        for round in 0..<300 {
            let bytes = Self.randomBytes(
                Int.random(in: 0...600, using: &generator), alphabet: round.isMultiple(of: 2) ? tableAlphabet : nil,
                using: &generator)
            for isIPv6 in [false, true] {
                for transport in TransportProtocol.allCases {
                    let entries = SocketTableParser.parse(bytes, transport: transport, isIPv6: isIPv6)
                    #expect(entries.allSatisfy { (1...65535).contains($0.port) })
                }
            }
        }
    }

    @Test("Valid lines with single bytes changed parse or are skipped, and never yield port 0", arguments: seeds)
    func mutatedLines(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let line = Array(
            (RecordedTree.tcpHeader
                + RecordedTree.socketLine(
                    slot: 0, localHex: "0100007F", port: 11434, state: "0A", uid: 998, inode: 40117))
                .utf8)
        for _ in 0..<500 {
            var mutated = line
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<mutated.count, using: &generator)
                mutated[index] = UInt8.random(in: 0...255, using: &generator)
            }
            let entries = SocketTableParser.parse(mutated, transport: .tcp, isIPv6: false)
            #expect(entries.count <= 1)
            #expect(entries.allSatisfy { $0.port > 0 })
        }
    }

    @Test("Generated sockets survive a round trip through the kernel's text format", arguments: seeds)
    func roundTripsGeneratedLines(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        for _ in 0..<200 {
            let isIPv6 = Bool.random(using: &generator)
            let words = (0..<(isIPv6 ? 4 : 1)).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
            let hex = words.map { String($0, radix: 16, uppercase: true).leftPadded(to: 8) }.joined()
            let port = Int.random(in: 1...65535, using: &generator)
            let uid = Int.random(in: 0...65534, using: &generator)
            let inode = UInt64.random(in: 1...4_000_000_000, using: &generator)
            let text =
                RecordedTree.tcpHeader
                + RecordedTree.socketLine(slot: 0, localHex: hex, port: port, state: "0A", uid: uid, inode: inode)
            let entry = SocketTableParser.parse(Array(text.utf8), transport: .tcp, isIPv6: isIPv6).first
            // Each printed word is the address's four bytes read as a little-endian integer.
            let networkBytes = words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
            let expected: HostAddress =
                isIPv6 ? HostAddress(ipv6Bytes: networkBytes) : .v4(networkBytes.reduce(0) { $0 << 8 | UInt32($1) })
            #expect(entry == SocketEntry(address: expected, port: port, transport: .tcp, uid: uid, inode: inode))
        }
    }

    @Test("Random text into the cgroup, unit-file and passwd readers never traps", arguments: seeds)
    func textReadersSurviveNoise(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let alphabet = Array("0123456789:=/.@-_ \n\"'libpod-user@system.slice.serviceExecStart=--port".utf8)
        for round in 0..<300 {
            let bytes = Self.randomBytes(
                Int.random(in: 0...400, using: &generator), alphabet: round.isMultiple(of: 3) ? nil : alphabet,
                using: &generator)
            let text = String(decoding: bytes, as: UTF8.self)
            if let path = CgroupClassifier.unitPath(fromProcCgroup: text) {
                _ = CgroupClassifier.classify(path: path)
            }
            _ = CgroupClassifier.classify(path: text)
            #expect(UnitFilePorts.ports(inUnitText: text).allSatisfy { (1...65535).contains($0) })
            _ = PasswdFile(text: text)
            _ = ProcessTable.realUID(fromStatus: text)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
