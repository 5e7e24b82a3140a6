import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension ContextArchive {
    /// Moves the walk to the next member that is sent and queues its header (opening it, for a regular
    /// file). False when the walk is over.
    func startNextMember() throws(BuildContextError) -> Bool {
        while var listing = listings.last {
            guard listing.next < listing.names.count else {
                listings.removeLast()
                continue
            }
            let name = listing.names[listing.next]
            listing.next += 1
            listings[listings.count - 1] = listing
            let path = listing.relativePath.isEmpty ? name : listing.relativePath + "/" + name
            if try startMember(at: path) { return true }
        }
        return false
    }

    /// Queues the header of `path` and returns true, or returns false when it is not sent. An excluded
    /// directory is still walked when an exception may bring back something inside it.
    private func startMember(at path: String) throws(BuildContextError) -> Bool {
        var info = stat()
        guard lstat(fullPath(path), &info) == 0 else { throw unreadable(path) }
        let excluded = rules.excludes(path) || addedNames.contains(path)
        let mode = Int(info.st_mode & 0o7777)
        let modified = Int(info.st_mtim.tv_sec)
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            guard !excluded || rules.mustDescend(intoExcluded: path) else { return false }
            listings.append(Listing(relativePath: path, names: try names(in: path)))
            guard !excluded else { return false }
            queue(TarHeader(path: path, kind: .directory, mode: mode, size: 0, modificationTime: modified).encoded())
        case S_IFREG:
            guard !excluded else { return false }
            let descriptor = open(fullPath(path), O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw unreadable(path) }
            let size = Int(info.st_size)
            openFile = OpenFile(
                descriptor: descriptor, relativePath: path, remaining: size, padding: TarHeader.padding(after: size))
            queue(TarHeader(path: path, kind: .regular, mode: mode, size: size, modificationTime: modified).encoded())
        case S_IFLNK:
            guard !excluded else { return false }
            let target = try linkTarget(path)
            queue(
                TarHeader(
                    path: path, kind: .symlink, mode: mode, size: 0, modificationTime: modified, linkTarget: target
                ).encoded())
        default:
            return false
        }
        return true
    }

    func fullPath(_ relativePath: String) -> String {
        relativePath.isEmpty ? directory : directory + "/" + relativePath
    }

    /// A directory's entry names, sorted by their bytes so that the archive is the same from run to run.
    func names(in relativePath: String) throws(BuildContextError) -> [String] {
        guard let stream = opendir(fullPath(relativePath)) else { throw unreadable(relativePath) }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func linkTarget(_ path: String) throws(BuildContextError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(fullPath(path), &buffer, buffer.count - 1)
        guard count >= 0 else { throw unreadable(path) }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func unreadable(_ path: String) -> BuildContextError {
        .unreadable(path: path.isEmpty ? "." : path, reason: String(cString: strerror(errno)))
    }
}
