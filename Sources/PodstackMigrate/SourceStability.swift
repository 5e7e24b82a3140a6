import Glibc

/// Whether a source file held still while it was copied. A writer (ollama pulling a model, a database
/// running) may append to or rewrite a file as it is read; the bytes read then match the copy, yet the
/// copy is not the file. So the file as it is after the copy must be the one the plan scanned: the same
/// inode at the same path, the same size (also the number of bytes read), the same mtime, and the same
/// ctime as when the copy opened it (any write or metadata change moves it). Guarded by
/// MigrateMovingSourceTests.
struct SourceStability {
    let entry: SourceEntry
    /// The open source as it was when the copy began.
    let atStart: stat
    /// The kernel stamps a write with a coarse clock (a few milliseconds), so a write in the same tick as
    /// the copy's first look leaves the times as they were. A file changed that recently is hashed once
    /// more after the copy, for what the times alone cannot vouch for.
    let changedJustBefore: Bool

    init?(entry: SourceEntry, descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.entry = entry
        self.atStart = info
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        changedJustBefore = clock.tv_sec - info.st_ctim.tv_sec < 2
    }

    /// Why the file is not the one scanned and read, or nil when it held still.
    func change(afterReading length: Int64, descriptor: Int32) -> String? {
        var open = stat()
        guard fstat(descriptor, &open) == 0, let now = FileCalls.lstatInfo(entry.hostPath) else {
            return "it was removed while it was copied"
        }
        if now.st_ino != atStart.st_ino || now.st_dev != atStart.st_dev {
            return "another file took its place while it was copied"
        }
        let size = Int64(open.st_size)
        if size != entry.size || length != entry.size {
            let bytes = MigrationRendering.bytes
            return "it changed size while it was copied (\(bytes(entry.size)) when planned, \(bytes(length)) read, "
                + "\(bytes(size)) now)"
        }
        let sameMtime =
            open.st_mtim.tv_sec == entry.modifiedSeconds && open.st_mtim.tv_nsec == entry.modifiedNanoseconds
        let sameCtime = open.st_ctim.tv_sec == atStart.st_ctim.tv_sec && open.st_ctim.tv_nsec == atStart.st_ctim.tv_nsec
        return sameMtime && sameCtime ? nil : "it was written to while it was copied (its mtime or ctime moved)"
    }
}
