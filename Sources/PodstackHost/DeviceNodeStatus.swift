import Glibc

/// What the host says about a device path under a root: whether it is there, what it is, who owns it.
public struct DeviceNodeStatus: Sendable, Hashable {
    public enum FileType: Sendable, Hashable {
        case characterDevice, blockDevice, directory, other
    }

    public var path: String
    public var type: FileType
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    /// Its POSIX ACL, when it has one (`setfacl -m u:alice:rw /dev/dri/renderD128`).
    public var acl: PosixACL?

    /// The node at `path` (absolute, inside the root), links followed inside it; nil when nothing is there.
    public static func read(_ path: String, root: String) -> DeviceNodeStatus? {
        guard let hostPath = RootedPath(root: root).resolve(path) else { return nil }
        var info = stat()
        guard stat(hostPath, &info) == 0 else { return nil }
        let type: FileType =
            switch info.st_mode & S_IFMT {
            case S_IFCHR: .characterDevice
            case S_IFBLK: .blockDevice
            case S_IFDIR: .directory
            default: .other
            }
        return DeviceNodeStatus(
            path: path, type: type, mode: UInt32(info.st_mode & 0o7777), uid: Int(info.st_uid), gid: Int(info.st_gid),
            acl: PosixACL.read(hostPath))
    }

    /// The device nodes directly inside a directory such as /dev/dri (card0, renderD128), which Podman
    /// passes on one by one when the directory is given as a device.
    public static func children(of directory: String, root: String) -> [DeviceNodeStatus] {
        guard let hostPath = RootedPath(root: root).resolve(directory),
            case .success(let names) = HostFiles.list(hostPath)
        else { return [] }
        return names.sorted().compactMap { read(directory + "/" + $0, root: root) }
            .filter { $0.type == .characterDevice || $0.type == .blockDevice }
    }

    /// Whether a user with this uid and these groups may open the node for `access` ("r", "w" or both),
    /// as the kernel decides (root may always): owner, then the ACL's named users and groups when there is
    /// one, then group, then others.
    public func permits(uid userID: Int, gids: Set<Int>, access: String) -> Bool {
        if userID == 0 { return true }
        let shift: UInt32 = userID == uid ? 6 : gids.contains(gid) ? 3 : 0
        let aclBits = userID == uid ? nil : acl?.bits(uid: userID, gids: gids, fileGID: gid)
        let bits = aclBits ?? (mode >> shift) & 0o7
        let needsRead = access.contains("r")
        let needsWrite = access.contains("w")
        return (!needsRead || bits & 0o4 != 0) && (!needsWrite || bits & 0o2 != 0)
    }

    /// Whether this process may open the node, asked of the kernel (access(2)), so that ACLs count too. Only
    /// meaningful for the real root and the process's own user.
    public static func openable(_ path: String, access wanted: String) -> Bool {
        let mode = (wanted.contains("r") ? R_OK : 0) | (wanted.contains("w") ? W_OK : 0)
        return access(path, mode == 0 ? F_OK : mode) == 0
    }
}
