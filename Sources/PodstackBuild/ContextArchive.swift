import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A build context directory as a tar stream, produced while the directory is walked: each `read` fills
/// the caller's buffer with the next bytes, reading files straight into it. At any moment it holds one
/// header, one directory's names per level, and one open file; never the context, never a copy of it.
///
/// Members come in name order, directories before their contents, paths relative to the context root.
/// Members `added` (an inline Dockerfile, build secrets) come first.
/// Left out: what `rules` exclude, and what is neither a regular file, a directory nor a symlink (sockets,
/// fifos, devices), as a build cannot use them.
public final class ContextArchive {
    public let directory: String
    let rules: IgnoreRules
    /// Files sent before the directory's, and the index of the next one.
    let added: [AddedMember]
    var nextAdded = 0
    /// The names of `added`, which the walk leaves out of the directory.
    let addedNames: Set<String>
    /// Bytes made but not yet handed out: a header, a file's padding, the end-of-archive blocks.
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    var openFile: OpenFile?
    var listings: [Listing]
    private var ended = false
    /// Bytes handed out so far.
    public private(set) var bytesProduced = 0

    struct Listing {
        let relativePath: String
        let names: [String]
        var next = 0
    }

    struct OpenFile {
        let descriptor: Int32
        let relativePath: String
        var remaining: Int
        let padding: Int
    }

    /// Fails when `directory` is not a readable directory.
    public init(directory: String, rules: IgnoreRules, added: [AddedMember] = []) throws(BuildContextError) {
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .notADirectory(path: directory)
        }
        self.directory = directory
        self.rules = rules
        self.added = added
        addedNames = Set(added.map(\.name))
        listings = []
        listings = [Listing(relativePath: "", names: try names(in: ""))]
    }

    deinit {
        if let openFile { close(openFile.descriptor) }
    }

    /// Fills `buffer` from the start with the archive's next bytes; returns how many, 0 once it has ended.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(BuildContextError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var written = 0
        while written < buffer.count {
            if pendingOffset < pending.count {
                let count = min(pending.count - pendingOffset, buffer.count - written)
                pending.withUnsafeBytes { bytes in
                    if let source = bytes.baseAddress {
                        (base + written).copyMemory(from: source + pendingOffset, byteCount: count)
                    }
                }
                pendingOffset += count
                written += count
            } else if openFile != nil {
                written += try readFile(into: base + written, capacity: buffer.count - written)
            } else if !startNextAddedMember(), !(try startNextMember()) {
                if ended { break }
                ended = true
                // Two zero blocks end a tar archive.
                queue([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
            }
        }
        bytesProduced += written
        return written
    }

    func queue(_ bytes: [UInt8]) {
        pending = bytes
        pendingOffset = 0
    }

    /// Up to `capacity` bytes of the open file, straight into the caller's buffer; at its end, the padding
    /// to a whole block is queued and the file closed.
    private func readFile(into destination: UnsafeMutableRawPointer, capacity: Int) throws(BuildContextError) -> Int {
        guard var file = openFile else { return 0 }
        var count = 0
        if file.remaining > 0 {
            count = Glibc.read(file.descriptor, destination, min(capacity, file.remaining))
            if count < 0 {
                if errno == EINTR { return 0 }
                throw .unreadable(path: file.relativePath, reason: String(cString: strerror(errno)))
            }
            if count == 0 { throw .changedWhileSending(path: file.relativePath) }
            file.remaining -= count
        }
        if file.remaining == 0 {
            close(file.descriptor)
            openFile = nil
            queue([UInt8](repeating: 0, count: file.padding))
        } else {
            openFile = file
        }
        return count
    }
}
