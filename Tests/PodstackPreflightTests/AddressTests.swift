import Testing

@testable import PodstackPreflight

@Suite("Addresses")
struct AddressTests {
    @Test(
        "Text addresses parse to the expected value and print back in conventional form",
        arguments: [
            ("127.0.0.1", HostAddress.v4(0x7F00_0001), "127.0.0.1"),
            ("0.0.0.0", .anyV4, "0.0.0.0"),
            ("", .anyV4, "0.0.0.0"),
            ("::", .anyV6, "::"),
            ("[::1]", .v6(high: 0, low: 1), "::1"),
            ("::ffff:10.1.2.3", .v4(0x0A01_0203), "10.1.2.3"),
            ("fd00::2", .v6(high: 0xFD00_0000_0000_0000, low: 2), "fd00::2"),
        ])
    func parsesText(text: String, expected: HostAddress, printed: String) {
        #expect(HostAddress(text: text) == expected)
        #expect(HostAddress(text: text)?.description == printed)
    }

    @Test("Text that is not an address is refused", arguments: ["localhost", "127.0.0.256", "1.2.3", ":::", "[::1"])
    func refusesNonAddresses(text: String) {
        #expect(HostAddress(text: text) == nil)
    }

    @Test(
        "The kernel's little-endian hex words decode to the right address",
        arguments: [
            ("0100007F", "127.0.0.1", true),
            ("00000000", "0.0.0.0", true),
            ("0501A8C0", "192.168.1.5", true),
            ("00000000000000000000000000000000", "::", false),
            ("00000000000000000000000001000000", "::1", false),
            ("0000000000000000FFFF00000100007F", "127.0.0.1", true),
            ("000000FD000000000000000002000000", "fd00::2", false),
            ("000080FE00000000FF00FC00010000FE", "fe80::fc:ff:fe00:1", false),
        ])
    func decodesKernelHex(hex: String, expected: String, foldsToIPv4: Bool) {
        let line = Array(hex.utf8)
        let address = line.withUnsafeBufferPointer { SocketTableParser.parseAddress($0, 0..<line.count) }
        #expect(address?.description == expected)
        #expect(address?.isIPv4 == foldsToIPv4)
    }

    @Test("An address prints with its port in brackets only for IPv6")
    func printsWithPort() {
        #expect(HostAddress.v4(0x7F00_0001).withPort(11434) == "127.0.0.1:11434")
        #expect(HostAddress.anyV6.withPort(6333) == "[::]:6333")
    }
}

@Suite("Address overlap rules")
struct AddressOverlapTests {
    /// (holder, claim, blocks): the kernel's rules for two binds on the same port and protocol.
    @Test(
        "A holder blocks exactly the claims the kernel would refuse",
        arguments: [
            ("127.0.0.1", "127.0.0.1", true),
            ("0.0.0.0", "127.0.0.1", true),
            ("0.0.0.0", "192.168.1.5", true),
            ("127.0.0.1", "0.0.0.0", true),
            ("::", "127.0.0.1", true),
            ("::", "0.0.0.0", true),
            ("::", "::1", true),
            ("::1", "::", true),
            ("127.0.0.1", "::", true),
            ("0.0.0.0", "::", true),
            ("::ffff:127.0.0.1", "127.0.0.1", true),
            ("192.168.1.5", "127.0.0.1", false),
            ("127.0.0.2", "127.0.0.1", false),
            ("0.0.0.0", "::1", false),
            ("::1", "0.0.0.0", false),
            ("::1", "127.0.0.1", false),
            ("fd00::2", "::1", false),
        ])
    func overlap(holder: String, claim: String, blocks: Bool) throws {
        let holderAddress = try #require(HostAddress(text: holder))
        let claimAddress = try #require(HostAddress(text: claim))
        #expect(holderAddress.overlaps(claimAddress) == blocks)
        #expect(claimAddress.overlaps(holderAddress) == blocks, "the rule is symmetric")
    }
}
