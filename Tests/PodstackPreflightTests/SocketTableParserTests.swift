import PodstackTestSupport
import Testing

@testable import PodstackHost
@testable import PodstackPreflight

@Suite("Socket table parser")
struct SocketTableParserTests {
    /// Lines copied from a real host's /proc/net/tcp: a listener, an established connection, a
    /// TIME_WAIT socket (inode 0).
    static let recordedTCP = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:2CAA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 40117 1 0000000000000000 100 0 0 10 0
           1: 00000000:18BD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40230 1 0000000000000000 100 0 0 10 0
           2: 0100007F:2CAA 0100007F:D4F2 01 00000000:00000000 00:00000000 00000000   998        0 51234 1 0000000000000000 20 4 30 10 -1
           3: 0100007F:2CAB 0100007F:D4F4 06 00000000:00000000 03:00000A1D 00000000     0        0 0 3 0000000000000000

        """

    @Test("Only listening TCP sockets are kept, with address, port, uid and inode")
    func keepsListeners() {
        let entries = SocketTableParser.parse(Array(Self.recordedTCP.utf8), transport: .tcp, isIPv6: false)
        #expect(entries.count == 2)
        #expect(
            entries.first
                == SocketEntry(address: .v4(0x7F00_0001), port: 11434, transport: .tcp, uid: 998, inode: 40117))
        #expect(entries.last?.address == .anyV4)
        #expect(entries.last?.port == 6333)
    }

    @Test("Wanted ports filter before the rest of the line is decoded")
    func filtersPorts() {
        let entries = SocketTableParser.parse(
            Array(Self.recordedTCP.utf8), transport: .tcp, isIPv6: false, wantedPorts: [6333])
        #expect(entries.map(\.port) == [6333])
    }

    @Test("Bound UDP sockets are kept whatever their state, in IPv6 tables too")
    func keepsBoundUDP() {
        let text =
            RecordedTree.udpHeader
            + RecordedTree.socketLine(
                slot: 0, localHex: "00000000000000000000000001000000", port: 5353, state: "07", uid: 1000, inode: 77)
            + RecordedTree.socketLine(
                slot: 1, localHex: "0000000000000000FFFF00000100007F", port: 6334, state: "01", uid: 0, inode: 78)
        let entries = SocketTableParser.parse(Array(text.utf8), transport: .udp, isIPv6: true)
        #expect(entries.map(\.address.description) == ["::1", "127.0.0.1"])
        #expect(entries.map(\.transport) == [.udp, .udp])
        #expect(entries.map(\.inode) == [77, 78])
    }

    @Test(
        "Malformed lines are skipped without harming the good ones",
        arguments: [
            "   0: 0100007F:2CAA",
            "   0: 0100007:2CAA 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
            "   0: 0100007F-2CAA 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
            "   0: 0100007F:2CAA 00000000:0000 0A 00000000:00000000 00:00000000 00000000 x 0 1",
            "   0: 0100007F:0000 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
            "   0: 0100007F:2CAA 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 99999999999999999999",
        ])
    func skipsMalformedLines(bad: String) {
        let good = RecordedTree.socketLine(slot: 1, localHex: "0100007F", port: 80, state: "0A", uid: 0, inode: 5)
        let entries = SocketTableParser.parse(
            Array((RecordedTree.tcpHeader + bad + "\n" + good).utf8), transport: .tcp, isIPv6: false)
        #expect(entries.map(\.port) == [80])
    }

    @Test(
        "Socket fd links name their inode; other links do not",
        arguments: [
            ("socket:[40117]", UInt64?.some(40117)),
            ("socket:[]", nil),
            ("socket:[12x]", nil),
            ("pipe:[40117]", nil),
            ("/dev/null", nil),
            ("anon_inode:[eventpoll]", nil),
        ])
    func readsSocketLinks(target: String, inode: UInt64?) {
        #expect(ProcessTable.socketInode(linkTarget: Array(target.utf8)) == inode)
    }
}
