import Glibc
import PodstackHost

/// One thing to copy, found under a service's data directory.
public struct SourceEntry: Sendable, Codable, Hashable {
    public enum Kind: Sendable, Codable, Hashable {
        case directory
        case file
        /// A link copied as a link: relative, and pointing inside the tree.
        case symlink(target: String)
    }

    /// Relative to the source directory; "" is the directory itself.
    public var relativePath: String
    /// Where it is read on this machine: under `--root`, and through any link that left the tree.
    public var hostPath: String
    /// The path as the user knows it (inside the root), for messages.
    public var insidePath: String
    public var kind: Kind
    public var size: Int64
    /// Bytes the file takes on disk (its blocks): less than `size` when it has holes.
    public var allocatedBytes: Int64 = 0
    public var mode: UInt32
    public var modifiedSeconds: Int
    public var modifiedNanoseconds: Int
}

/// Something under the source that is not copied, and why; always reported.
public struct PassedOver: Sendable, Codable, Hashable {
    /// Inside the root, as the user knows it.
    public var path: String
    public var reason: String
    /// True when data may be behind it (a read error); false for sockets, pipes and dangling links,
    /// which hold none. Data passed over makes the migration incomplete.
    public var holdsData: Bool = false
}

/// The source directory of one service, walked once: what there is to copy, and what cannot be read.
public struct SourceTree: Sendable, Codable {
    public var entries: [SourceEntry]
    /// Files and directories the user may not read, inside the root; the fix command names them.
    public var unreadable: [String]
    public var passedOver: [PassedOver]
    /// Links that left the tree (absolute, or `..` past its top): what they point at is copied instead.
    public var followedLinks: [String]

    public var fileCount: Int { entries.count { $0.kind == .file } }
    public var byteCount: Int64 { entries.reduce(0) { $0 + ($1.kind == .file ? $1.size : 0) } }
}

/// Walks a source directory inside a root, never leaving the root, opening each file once to learn
/// whether it can be read (so that the plan names unreadable files before any copying starts).
public struct SourceTreeScanner: Sendable {
    public let paths: RootedPath
    public let access: any SourceFileAccess

    public init(paths: RootedPath, access: any SourceFileAccess = SystemFileAccess()) {
        self.paths = paths
        self.access = access
    }

    /// Nil when the source does not exist.
    public func scan(_ insidePath: String) -> SourceTree? {
        guard let top = paths.resolve(insidePath), let info = FileCalls.statInfo(top) else { return nil }
        var tree = SourceTree(entries: [], unreadable: [], passedOver: [], followedLinks: [])
        var visited = Set<[UInt64]>()
        add(hostPath: top, relative: "", info: info, topHost: top, tree: &tree, visited: &visited)
        return tree
    }

    private func add(
        hostPath: String, relative: String, info: stat, topHost: String, tree: inout SourceTree,
        visited: inout Set<[UInt64]>
    ) {
        let inside = paths.insidePath(ofHostPath: hostPath)
        switch FileCalls.kind(info) {
        case S_IFDIR:
            // A followed link may lead back up the tree; each directory is walked once.
            guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else {
                tree.passedOver.append(PassedOver(path: inside, reason: "a link loop leads back to this directory"))
                return
            }
            let descriptor = access.open(hostPath, directory: true)
            guard descriptor >= 0, let names = FileCalls.list(descriptor: descriptor) else {
                record(descriptor, inside: inside, tree: &tree)
                return
            }
            tree.entries.append(entry(relative, hostPath, .directory, info))
            for name in names {
                let childHost = hostPath + "/" + name
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                guard let childInfo = FileCalls.lstatInfo(childHost) else { continue }
                if FileCalls.kind(childInfo) == S_IFLNK {
                    addLink(
                        hostPath: childHost, relative: childRelative, topHost: topHost, tree: &tree, visited: &visited)
                } else {
                    add(
                        hostPath: childHost, relative: childRelative, info: childInfo, topHost: topHost, tree: &tree,
                        visited: &visited)
                }
            }
        case S_IFREG:
            let descriptor = access.open(hostPath, directory: false)
            guard descriptor >= 0 else {
                record(descriptor, inside: inside, tree: &tree)
                return
            }
            close(descriptor)
            tree.entries.append(entry(relative, hostPath, .file, info))
        default:
            tree.passedOver.append(
                PassedOver(path: inside, reason: "not a file, directory or link (a socket, pipe or device)"))
        }
    }

    /// A relative link that stays in the tree is kept as a link: the container sees the same tree. One
    /// that leaves it would point at nothing in the container, so what it points at is copied instead.
    private func addLink(
        hostPath: String, relative: String, topHost: String, tree: inout SourceTree, visited: inout Set<[UInt64]>
    ) {
        let inside = paths.insidePath(ofHostPath: hostPath)
        guard let target = HostFiles.readLink(hostPath), let info = FileCalls.lstatInfo(hostPath) else { return }
        let resolved = paths.resolve(inside)
        let staysInside =
            !target.hasPrefix("/") && (resolved.map { $0 == topHost || $0.hasPrefix(topHost + "/") } ?? false)
        if staysInside {
            tree.entries.append(entry(relative, hostPath, .symlink(target: target), info))
            return
        }
        guard let resolved else {
            // RootedPath gives up after as many links as the kernel does: this link never reaches a file.
            tree.passedOver.append(
                PassedOver(
                    path: inside, reason: "a link to \(target) in a loop of links (ELOOP), which leads to no file"))
            return
        }
        guard let targetInfo = FileCalls.statInfo(resolved) else {
            tree.passedOver.append(
                PassedOver(path: inside, reason: "a link to \(target), which does not exist under the root"))
            return
        }
        tree.followedLinks.append(inside)
        add(hostPath: resolved, relative: relative, info: targetInfo, topHost: topHost, tree: &tree, visited: &visited)
    }

    private func record(_ descriptor: Int32, inside: String, tree: inout SourceTree) {
        let code = descriptor < 0 ? -descriptor : errno
        if code == EACCES || code == EPERM {
            tree.unreadable.append(inside)
        } else {
            tree.passedOver.append(
                PassedOver(path: inside, reason: "cannot be read: \(FileCalls.errorText(code))", holdsData: true))
        }
    }

    private func entry(_ relative: String, _ host: String, _ kind: SourceEntry.Kind, _ info: stat) -> SourceEntry {
        SourceEntry(
            relativePath: relative, hostPath: host, insidePath: paths.insidePath(ofHostPath: host), kind: kind,
            size: kind == .file ? Int64(info.st_size) : 0,
            allocatedBytes: kind == .file ? Int64(info.st_blocks) * 512 : 0,
            mode: UInt32(info.st_mode & 0o7777), modifiedSeconds: info.st_mtim.tv_sec,
            modifiedNanoseconds: info.st_mtim.tv_nsec)
    }
}
