import Glibc

/// Not enough room where a copy would go: found before anything is written, so that a full disk cannot
/// stop a copy halfway (MigrateSparseTests).
public struct SpaceShortage: Sendable, Codable, Hashable {
    /// The existing directory whose filesystem was measured: the destination, or its nearest parent.
    public var directory: String
    /// What every service copied onto that filesystem needs together, and what it has free (bytes).
    public var needed: Int64
    public var free: Int64
}

/// How much room the copies need on each destination filesystem, and whether it is there.
public enum DestinationSpace {
    /// The space one tree takes at `destination`, at most: each file's blocks on disk (holes stay holes),
    /// less a same-size file already there (skipped when equal) and less a partial an earlier run left.
    static func needed(_ tree: SourceTree, destination: String) -> Int64 {
        var total: Int64 = 0
        for entry in tree.entries where entry.kind == .file {
            let target = TreeCopier.join(destination, entry.relativePath)
            if let existing = FileCalls.lstatInfo(target), FileCalls.kind(existing) == S_IFREG,
                Int64(existing.st_size) == entry.size
            {
                continue
            }
            let partial = FileCalls.lstatInfo(FileWriter.partialPath(of: target)).map { Int64($0.st_blocks) * 512 } ?? 0
            total += max(0, entry.allocatedBytes - partial)
        }
        return total
    }

    /// The destination itself, or the nearest parent that exists (the copy makes the rest).
    static func existingDirectory(for path: String) -> String {
        var current = path
        while FileCalls.statInfo(current) == nil, let slash = current.lastIndex(of: "/") {
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
        return current
    }

    /// Bytes an unprivileged writer may still use on the filesystem holding `directory` (statvfs f_bavail).
    @Sendable public static func freeBytes(at directory: String) -> Int64? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Each copy's shortage, keyed by its index in `copies`: the copies onto one filesystem are summed and
    /// measured against its free space together.
    static func shortages(
        _ copies: [(tree: SourceTree, destination: String)], freeBytes: (String) -> Int64?
    ) -> [Int: SpaceShortage] {
        var byDevice: [UInt64: (directory: String, needed: Int64, members: [Int])] = [:]
        for (index, copy) in copies.enumerated() {
            let directory = existingDirectory(for: copy.destination)
            let device = FileCalls.statInfo(directory).map { UInt64($0.st_dev) } ?? 0
            var group = byDevice[device] ?? (directory, 0, [])
            group.needed += needed(copy.tree, destination: copy.destination)
            group.members.append(index)
            byDevice[device] = group
        }
        var result: [Int: SpaceShortage] = [:]
        for group in byDevice.values {
            guard let free = freeBytes(group.directory), group.needed > free else { continue }
            for index in group.members {
                result[index] = SpaceShortage(directory: group.directory, needed: group.needed, free: free)
            }
        }
        return result
    }
}
