import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a config file podstack makes so that a reader sees the old file or the new one, never a part:
/// into a temporary file beside it, synced, then renamed over it. Unlike a secret, a config is replaced
/// when its text changes.
enum ConfigFileWriter {
    static func replace(_ path: String, with data: Data, mode: Int) throws {
        let temporary = path + ".podstack-new-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SecretFile.writeError(path) }
        var failure = SecretFile.writeAll(data, to: fd, path: path)
        // The mode is set on the descriptor: open's mode is cut by the umask.
        if failure == nil, fchmod(fd, mode_t(mode)) != 0 || fsync(fd) != 0 { failure = SecretFile.writeError(path) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = SecretFile.writeError(path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}
