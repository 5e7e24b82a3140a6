import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a secret's file without following a link planted in its place. When root drives a user's service,
/// the secrets directory belongs to that user, who could swap the file for a link to a root-only file:
/// root would then hand that file's content to the container. So the file is opened with O_NOFOLLOW and
/// must be a regular file owned by the runner (or root) that no other user can write.
enum SecretFile {
    /// Why the file must not be read, as a sentence; nil when it may be (or does not exist: that is
    /// `fileNotReadable`'s case).
    static func unsafeReason(_ path: String, runnerUID: UInt32) -> String? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            return errno == ELOOP ? "it is a symbolic link; give the file itself, not a link to it" : nil
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        return reason(status, runnerUID: runnerUID)
    }

    static func reason(_ status: stat, runnerUID: UInt32) -> String? {
        guard status.st_mode & S_IFMT == S_IFREG else { return "it is not a regular file" }
        guard status.st_uid == runnerUID || status.st_uid == 0 else {
            return "it is owned by uid \(status.st_uid), not by you (uid \(runnerUID)) or root; chown it or copy it"
        }
        guard status.st_mode & 0o022 == 0 else {
            let mode = String(status.st_mode & 0o777, radix: 8)
            return "other users can write it (mode \(mode)); run chmod go-w on it"
        }
        return nil
    }

    /// The file's bytes, read through one descriptor opened with O_NOFOLLOW and checked again, so the file
    /// read is the file checked. nil when it cannot be read or fails the check.
    static func contents(_ path: String, runnerUID: UInt32) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var status = stat()
        guard fstat(fd, &status) == 0, reason(status, runnerUID: runnerUID) == nil else {
            close(fd)
            return nil
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        return try? handle.readToEnd() ?? Data()
    }

    /// Writes a new secret file (0600) so that it is whole or absent: into a temporary file beside it, synced,
    /// then linked into place (a link, unlike rename, never replaces a file another run wrote meanwhile).
    /// A full disk used to leave an empty file that blocked every later `up`.
    /// `writeBytes` is `write(2)`; tests pass one that fails.
    static func writeAtomically(
        _ data: Data, to path: String,
        writeBytes: (Int32, UnsafeRawPointer?, Int) -> Int = { write($0, $1, $2) }
    ) throws {
        let temporary = path + ".podstack-new-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw writeError(path) }
        var failure = writeAll(data, to: fd, path: path, writeBytes: writeBytes)
        if failure == nil, fsync(fd) != 0 { failure = writeError(path) }
        close(fd)
        if failure == nil, link(temporary, path) != 0 { failure = writeError(path) }
        unlink(temporary)
        if let failure { throw failure }
    }

    /// Writes all of `data` to `fd`, going on after short writes and EINTR; the error for `path` if it fails.
    static func writeAll(
        _ data: Data, to fd: Int32, path: String,
        writeBytes: (Int32, UnsafeRawPointer?, Int) -> Int = { write($0, $1, $2) }
    ) -> PodstackError? {
        var failure: PodstackError?
        var offset = 0
        data.withUnsafeBytes { bytes in
            while failure == nil, offset < bytes.count {
                let written = writeBytes(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    if written == 0 { errno = EIO }
                    failure = writeError(path)
                }
            }
        }
        return failure
    }

    static func writeError(_ path: String) -> PodstackError {
        let code = errno
        let reason = code == ENOSPC ? "no space left on device; free some and rerun" : String(cString: strerror(code))
        return PodstackError.hostFile(path: path, reason: reason)
    }
}
