import CXattr
import Glibc

/// A file's POSIX access ACL (the `system.posix_acl_access` attribute, as `setfacl -m u:alice:rw` writes it):
/// the entries that give named users and groups access beyond the mode bits. Read so that a node granted
/// to a user by ACL (the way out of a group a rootless container drops) counts as open for them.
public struct PosixACL: Sendable, Hashable {
    public enum Tag: UInt16, Sendable {
        case userObject = 0x01, user = 0x02, groupObject = 0x04, group = 0x08, mask = 0x10, other = 0x20
    }

    public struct Entry: Sendable, Hashable {
        public var tag: Tag
        /// rwx as 4, 2, 1.
        public var permissions: UInt32
        /// The uid or gid of a named entry.
        public var id: Int?
    }

    public var entries: [Entry]

    /// The kernel's layout: a little-endian version 2 header, then 8-byte entries (tag, permissions, id).
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 4, bytes.count % 8 == 4, Self.word(bytes, 0) == 2 else { return nil }
        var entries: [Entry] = []
        for start in stride(from: 4, to: bytes.count, by: 8) {
            let rawTag = UInt16(bytes[start]) | UInt16(bytes[start + 1]) << 8
            guard let tag = Tag(rawValue: rawTag) else { return nil }
            let permissions = UInt32(bytes[start + 2]) | UInt32(bytes[start + 3]) << 8
            let id = Int(Self.word(bytes, start + 4))
            entries.append(
                Entry(tag: tag, permissions: permissions & 0o7, id: tag == .user || tag == .group ? id : nil))
        }
        self.entries = entries
    }

    /// The ACL of the file at a host path; nil when it has none beyond its mode.
    public static func read(_ hostPath: String) -> PosixACL? {
        var buffer = [UInt8](repeating: 0, count: 1024)
        let size = getxattr(hostPath, "system.posix_acl_access", &buffer, buffer.count)
        guard size > 0 else { return nil }
        return PosixACL(bytes: Array(buffer.prefix(size)))
    }

    /// The permission bits the kernel grants a user who is not the file's owner (acl(5)'s algorithm): a
    /// named user entry, else the group class (the file's group and named groups the user is in), else
    /// other; named entries and the group class are limited by the mask. Nil when no entry decides.
    public func bits(uid: Int, gids: Set<Int>, fileGID: Int) -> UInt32? {
        let mask = entries.first { $0.tag == .mask }?.permissions ?? 0o7
        if let named = entries.first(where: { $0.tag == .user && $0.id == uid }) { return named.permissions & mask }
        let groupEntries = entries.filter { entry in
            (entry.tag == .groupObject && gids.contains(fileGID))
                || (entry.tag == .group && gids.contains(entry.id ?? -1))
        }
        if !groupEntries.isEmpty { return groupEntries.reduce(0) { $0 | $1.permissions } & mask }
        return entries.first { $0.tag == .other }?.permissions
    }

    private static func word(_ bytes: [UInt8], _ start: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[start + $1]) << (8 * UInt32($1)) }
    }
}
