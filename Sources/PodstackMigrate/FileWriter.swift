import Glibc
import PodstackHost

/// Writes one destination entry at a time for `TreeCopier`.
struct FileWriter {
    enum FileOutcome {
        case copied(resumed: Bool)
        case unreadable
        case failed(String)
        /// The source moved under the copy (see `SourceStability`): the copy is kept as a partial.
        case changedWhileCopied(String)
    }

    let options: CopyOptions
    let service: String
    var buffer: [UInt8]
    var writtenThisRun: Int64 = 0

    init(options: CopyOptions, service: String) {
        self.options = options
        self.service = service
        self.buffer = [UInt8](repeating: 0, count: options.chunkSize)
    }

    static func partialPath(of target: String) -> String {
        let slash = target.lastIndex(of: "/").map { target.index(after: $0) } ?? target.startIndex
        return String(target[..<slash]) + "." + String(target[slash...]) + TreeCopier.partialSuffix
    }

    /// Copies to the partial name, continuing a partial left by an earlier run, then reads the partial
    /// back, and renames it into place only when its SHA-256 is the source's. A partial whose bytes turn
    /// out not to match is started again once from nothing.
    mutating func copyFile(_ entry: SourceEntry, to target: String, progress: inout CopyProgress) throws -> FileOutcome
    {
        let partial = Self.partialPath(of: target)
        var mayResume = true
        let startBytes = progress.bytesDone
        while true {
            progress.bytesDone = startBytes
            let source = options.access.open(entry.hostPath, directory: false)
            guard source >= 0 else {
                return -source == EACCES || -source == EPERM ? .unreadable : .failed(FileCalls.errorText(-source))
            }
            defer { close(source) }
            guard let stability = SourceStability(entry: entry, descriptor: source) else {
                return .failed("cannot look at the source: \(FileCalls.errorText(errno))")
            }
            var resumeFrom: Int64 = 0
            if mayResume, let length = Self.resumableLength(of: partial, upTo: entry.size) {
                resumeFrom = length
            } else {
                unlink(partial)
            }
            let streamed: Streamed
            switch try stream(source, entry: entry, to: partial, resumeFrom: resumeFrom, progress: &progress) {
            case .success(let result): streamed = result
            case .failure(let failure): return .failed(failure.reason)
            }
            if let change = stability.change(afterReading: streamed.length, descriptor: source) {
                return .changedWhileCopied(change)
            }
            if stability.changedJustBefore,
                Self.digest(ofDescriptor: source, chunkSize: options.chunkSize) != streamed.digest
            {
                return .changedWhileCopied("its bytes changed while it was copied")
            }
            guard Self.digest(ofPath: partial, chunkSize: options.chunkSize) == streamed.digest else {
                unlink(partial)
                if resumeFrom > 0 && mayResume {
                    mayResume = false
                    continue
                }
                return .failed("the copy read back does not match the source's SHA-256 (the source may be changing)")
            }
            return place(partial, at: target, entry: entry, resumed: resumeFrom > 0)
        }
    }

    /// The length of a partial an earlier run left that may be continued: a regular file no longer than the
    /// source. Nil when there is none to continue.
    private static func resumableLength(of partial: String, upTo size: Int64) -> Int64? {
        guard let info = FileCalls.lstatInfo(partial), FileCalls.kind(info) == S_IFREG, Int64(info.st_size) <= size
        else { return nil }
        return Int64(info.st_size)
    }

    /// Why a copy stopped before its bytes were all in the partial.
    struct StreamFailure: Error {
        var reason: String
    }

    /// Owner, mode and times on the verified partial, then the rename into place.
    private func place(_ partial: String, at target: String, entry: SourceEntry, resumed: Bool) -> FileOutcome {
        if let problem = finish(partial, entry: entry) { return .failed(problem) }
        guard rename(partial, target) == 0 else {
            return .failed("cannot rename into place: \(FileCalls.errorText(errno))")
        }
        return .copied(resumed: resumed)
    }

    /// Owner, mode and times, set last so that a read-only mode cannot stop the read-back.
    private func finish(_ path: String, entry: SourceEntry) -> String? {
        if let owner = options.owner, lchown(path, owner.uid, owner.gid) != 0 {
            return "cannot give \(path) to uid \(owner.uid): \(FileCalls.errorText(errno))"
        }
        if case .symlink = entry.kind {
            // Linux has no lchmod; a link's own mode is always 0777 and means nothing.
        } else if chmod(path, mode_t(entry.mode)) != 0 {
            return "cannot set the mode of \(path): \(FileCalls.errorText(errno))"
        }
        var times = [
            timespec(tv_sec: entry.modifiedSeconds, tv_nsec: entry.modifiedNanoseconds),
            timespec(tv_sec: entry.modifiedSeconds, tv_nsec: entry.modifiedNanoseconds),
        ]
        if utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) != 0 {
            return "cannot set the times of \(path): \(FileCalls.errorText(errno))"
        }
        return nil
    }

    mutating func link(_ target: String, to linkTarget: String, entry: SourceEntry) -> PassedOver? {
        let partial = Self.partialPath(of: target)
        unlink(partial)
        guard symlink(linkTarget, partial) == 0 else {
            return PassedOver(
                path: entry.insidePath, reason: "cannot make the link: \(FileCalls.errorText(errno))", holdsData: true)
        }
        if let problem = finish(partial, entry: entry) {
            return PassedOver(path: entry.insidePath, reason: problem, holdsData: true)
        }
        guard rename(partial, target) == 0, HostFiles.readLink(target) == linkTarget else {
            return PassedOver(path: entry.insidePath, reason: "the link did not land in place", holdsData: true)
        }
        return nil
    }

    /// Made writable for the copy; its own mode and times come in `finishDirectory`.
    func makeDirectory(_ path: String, entry: SourceEntry) -> PassedOver? {
        if let info = FileCalls.lstatInfo(path), FileCalls.kind(info) == S_IFDIR { return nil }
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                return PassedOver(
                    path: entry.insidePath, reason: "cannot make \(prefix): \(FileCalls.errorText(errno))",
                    holdsData: true)
            }
        }
        if let owner = options.owner { _ = lchown(path, owner.uid, owner.gid) }
        return nil
    }

    func finishDirectory(_ path: String, entry: SourceEntry) {
        // The owner keeps rwx whatever the source said: a rerun (resuming, or after --overwrite) must be
        // able to write here, and the user must be able to manage their own data directory.
        var copy = entry
        copy.mode |= 0o700
        _ = finish(path, entry: copy)
    }

    static func digest(ofPath path: String, chunkSize: Int) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return digest(ofDescriptor: descriptor, chunkSize: chunkSize)
    }

    /// The whole file from its first byte, wherever the descriptor's offset stands.
    static func digest(ofDescriptor descriptor: Int32, chunkSize: Int) -> String? {
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return hasher.hexDigest() }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += off_t(count)
        }
    }
}
