import Glibc

/// Where a file's data lies: the next data region at or after an offset, as SEEK_DATA and SEEK_HOLE tell.
/// What lies between regions is a hole, which reads as zeros and takes no space; the copy leaves it a hole
/// (MigrateSparseTests).
enum DataRegions {
    /// lseek(2)'s whences on Linux; Glibc exports them only under _GNU_SOURCE, which Swift does not set.
    static let seekData: Int32 = 3
    static let seekHole: Int32 = 4

    /// `[start, end)` of the next data at or after `offset`, nil when only a hole (or nothing) follows.
    /// A filesystem without SEEK_DATA has one region, the rest of the file (`end` is then `Int64.max`).
    static func next(in descriptor: Int32, from offset: Int64) -> (start: Int64, end: Int64)? {
        let start = lseek(descriptor, off_t(offset), Self.seekData)
        guard start >= 0 else { return errno == ENXIO ? nil : (offset, Int64.max) }
        let end = lseek(descriptor, start, Self.seekHole)
        return (Int64(start), end >= 0 ? Int64(end) : Int64.max)
    }
}

extension FileWriter {
    /// What `stream` read: the SHA-256 of the source's bytes (holes as the zeros they read as), and how many.
    struct Streamed {
        var digest: String
        var length: Int64
    }

    /// Reads the source's data regions into the hash and writes to the partial only what lies past
    /// `resumeFrom`; holes are hashed as zeros and skipped in the partial, which the final truncate gives
    /// its length. Reads up to the length the file had when the copy began, then fsyncs the partial: a file
    /// that a writer keeps growing is not chased (on a busy machine the writer outran the copy for good),
    /// and its growth is reported afterwards as a change while copied (SourceStability).
    mutating func stream(
        _ source: Int32, entry: SourceEntry, to partial: String, resumeFrom: Int64, progress: inout CopyProgress
    ) throws -> Result<Streamed, StreamFailure> {
        let output = open(partial, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard output >= 0 else {
            return .failure(StreamFailure(reason: "cannot write \(partial): \(FileCalls.errorText(errno))"))
        }
        defer { close(output) }
        guard ftruncate(output, off_t(resumeFrom)) == 0 else {
            return .failure(StreamFailure(reason: "cannot prepare \(partial): \(FileCalls.errorText(errno))"))
        }
        var atStart = stat()
        guard fstat(source, &atStart) == 0 else {
            return .failure(StreamFailure(reason: "cannot look at the source: \(FileCalls.errorText(errno))"))
        }
        let limit = Int64(atStart.st_size)
        var hasher = SHA256()
        var offset: Int64 = 0
        let startBytes = progress.bytesDone
        func advance(to end: Int64) {
            offset = end
            progress.bytesDone = startBytes + offset
            options.progress(progress)
        }
        regions: while true {
            try Task.checkCancellation()
            guard offset < limit, let found = DataRegions.next(in: source, from: offset), found.start < limit else {
                // Only a hole is left up to the length at the start: it reads as zeros.
                let end = max(offset, limit)
                hashZeros(&hasher, count: end - offset)
                advance(to: end)
                break
            }
            let region = (start: found.start, end: min(found.end, limit))
            hashZeros(&hasher, count: region.start - offset)
            advance(to: region.start)
            while offset < region.end {
                try Task.checkCancellation()
                let wanted = Int(min(Int64(buffer.count), region.end - offset))
                let count = buffer.withUnsafeMutableBytes { pread(source, $0.baseAddress, wanted, off_t(offset)) }
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failure(StreamFailure(reason: "read failed: \(FileCalls.errorText(errno))"))
                }
                if count == 0 { break regions }
                buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                if let problem = try writeChunk(count, at: offset, resumeFrom: resumeFrom, to: output, entry: entry) {
                    return .failure(StreamFailure(reason: problem))
                }
                advance(to: offset + Int64(count))
            }
        }
        guard ftruncate(output, off_t(offset)) == 0, fsync(output) == 0 else {
            return .failure(StreamFailure(reason: "cannot finish \(partial): \(FileCalls.errorText(errno))"))
        }
        return .success(Streamed(digest: hasher.hexDigest(), length: offset))
    }

    /// The buffer's first `count` bytes, read at `offset`, into the partial: only the part past `resumeFrom`.
    private mutating func writeChunk(
        _ count: Int, at offset: Int64, resumeFrom: Int64, to output: Int32, entry: SourceEntry
    ) throws -> String? {
        let chunkEnd = offset + Int64(count)
        guard chunkEnd > resumeFrom else { return nil }
        var position = Int(max(resumeFrom - offset, 0))
        try options.beforeWrite(entry.relativePath, writtenThisRun)
        writtenThisRun += Int64(count - position)
        while position < count {
            let written = buffer.withUnsafeBytes {
                pwrite(output, $0.baseAddress.map { $0 + position }, count - position, off_t(offset) + off_t(position))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return "write failed: \(FileCalls.errorText(errno))"
            }
            position += written
        }
        return nil
    }

    private func hashZeros(_ hasher: inout SHA256, count: Int64) {
        var left = count
        while left > 0 {
            let step = Int(min(left, Int64(Self.zeros.count)))
            Self.zeros.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<step])) }
            left -= Int64(step)
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 1 << 16)
}
