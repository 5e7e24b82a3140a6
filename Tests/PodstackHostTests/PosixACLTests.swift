import Testing

@testable import PodstackHost

@Suite("POSIX ACLs of device nodes")
struct PosixACLTests {
    /// The attribute as the kernel stores it: version 2, then (tag, permissions, id) entries.
    static func bytes(_ entries: [(UInt16, UInt16, UInt32)]) -> [UInt8] {
        var out: [UInt8] = [2, 0, 0, 0]
        for (tag, permissions, id) in entries {
            out += [UInt8(tag & 0xff), UInt8(tag >> 8), UInt8(permissions & 0xff), UInt8(permissions >> 8)]
            out += (0..<4).map { UInt8((id >> (8 * UInt32($0))) & 0xff) }
        }
        return out
    }

    /// `setfacl -m u:1001:rw` on a 0660 root:video (44) node: user::rw, user:1001:rw, group::rw, mask::rw, other::---.
    static let granted = bytes([(0x01, 6, 0), (0x02, 6, 1001), (0x04, 6, 0), (0x10, 6, 0), (0x20, 0, 0)])

    @Test("a named user entry opens the node for that user alone, through no group")
    func namedUser() throws {
        let acl = try #require(PosixACL(bytes: Self.granted))
        #expect(acl.bits(uid: 1001, gids: [1001], fileGID: 44) == 6)
        #expect(acl.bits(uid: 1002, gids: [1002], fileGID: 44) == 0)
        #expect(acl.bits(uid: 1002, gids: [1002, 44], fileGID: 44) == 6)
        let node = DeviceNodeStatus(
            path: "/dev/x", type: .characterDevice, mode: 0o660, uid: 0, gid: 44, acl: acl)
        #expect(node.permits(uid: 1001, gids: [1001], access: "rw"))
        #expect(!node.permits(uid: 1002, gids: [1002], access: "r"))
    }

    @Test("the mask limits a named entry: u:1001:rw under mask::r opens for reading only")
    func mask() throws {
        let acl = try #require(
            PosixACL(bytes: Self.bytes([(0x01, 6, 0), (0x02, 6, 1001), (0x04, 6, 0), (0x10, 4, 0), (0x20, 0, 0)])))
        #expect(acl.bits(uid: 1001, gids: [], fileGID: 44) == 4)
    }

    @Test(
        "a truncated or unknown attribute is no ACL",
        arguments: [[2, 0, 0], [3, 0, 0, 0], [2, 0, 0, 0, 0x40, 0, 6, 0, 0, 0, 0, 0]] as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        #expect(PosixACL(bytes: bytes) == nil)
    }
}
