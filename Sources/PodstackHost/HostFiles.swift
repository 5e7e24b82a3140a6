import Glibc

/// Thin, allocation-light file access for /proc and /sys. Foundation's readers trust `st_size`, which
/// is 0 for every /proc file, and build a URL per entry; a walk over /proc/*/fd on a busy host makes
/// tens of thousands of these calls, so they go straight to the system calls.
package enum HostFiles {
    /// The outcome of a read that can fail for a reason worth telling apart: a process that exited
    /// between listing and reading is normal; EACCES on another user's /proc/PID/fd is the
    /// unprivileged view, not an error.
    package enum Failure: Error, Equatable {
        case missing
        case permissionDenied
        case other(Int32)

        package init(errno code: Int32) {
            switch code {
            case ENOENT, ESRCH, ENOTDIR: self = .missing
            case EACCES, EPERM: self = .permissionDenied
            default: self = .other(code)
            }
        }
    }

    /// The whole file, read until EOF whatever size stat reports.
    package static func readBytes(_ path: String, limit: Int = 64 << 20) -> Result<[UInt8], Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Failure(errno: errno)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(errno: errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(bytes)
    }

    package static func readText(_ path: String) -> String? {
        guard case .success(let bytes) = readBytes(path, limit: 1 << 20) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The target of a symbolic link, or nil when the path is not one (or cannot be read).
    package static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Entry names of a directory, without `.` and `..`.
    package static func list(_ path: String) -> Result<[String], Failure> {
        guard let directory = opendir(path) else { return .failure(Failure(errno: errno)) }
        return .success(names(in: directory))
    }

    /// Entry names of a directory open for reading, without `.` and `..`; takes ownership of the descriptor
    /// (closed whatever happens), so that a caller that opened it with flags of its own (`O_NOFOLLOW`) lists
    /// exactly what it opened.
    package static func list(descriptor: Int32) -> Result<[String], Failure> {
        guard let directory = fdopendir(descriptor) else {
            let failure = Failure(errno: errno)
            close(descriptor)
            return .failure(failure)
        }
        return .success(names(in: directory))
    }

    /// Reads a directory stream to its end and closes it.
    private static func names(in directory: OpaquePointer) -> [String] {
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    package static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

/// Decimal digits as bytes into an integer, nil on anything else or on overflow: random bytes fed to
/// the parsers must end in nil, never in a trap.
package func parseDecimal<Bytes: Collection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value = 0
    for byte in bytes {
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
    }
    return value
}
