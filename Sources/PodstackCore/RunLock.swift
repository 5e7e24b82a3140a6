import Foundation
import PodmanAPI

/// One `up` or `down` at a time per user and Podman service: an advisory `flock` on a file in a directory
/// only the user can write (the runtime directory, else a 0700 directory of podstack's own). The kernel
/// drops the lock when the process dies, so a killed run never leaves a stale lock.
public final class RunLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The lock for the service at `explicitURL` (or the default socket): one per socket, so root driving
    /// two users' services runs them side by side. Without XDG_RUNTIME_DIR, the directory is
    /// `$TMPDIR/podstack-<euid>`, made 0700 and checked: a world-writable /tmp is where others plant links.
    public static func defaultPath(host: HostContext, explicitURL: String?) throws -> String {
        let socket =
            (try? PodmanSocket.resolvePath(
                explicitURL: explicitURL, environment: host.environment, effectiveUID: host.effectiveUID)) ?? ""
        let name = "podstack-\(host.effectiveUID)-\(socketKey(socket)).lock"
        if let runtime = host.environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return (runtime as NSString).appendingPathComponent(name)
        }
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("podstack-\(host.effectiveUID)")
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw PodstackError.hostFile(path: directory, reason: String(cString: strerror(errno)))
        }
        var status = stat()
        guard lstat(directory, &status) == 0 else {
            throw PodstackError.hostFile(path: directory, reason: String(cString: strerror(errno)))
        }
        if let reason = untrusted(status, kind: S_IFDIR, owner: host.effectiveUID, what: "a directory") {
            throw PodstackError.hostFile(path: directory, reason: reason + "; remove it, or set XDG_RUNTIME_DIR")
        }
        return (directory as NSString).appendingPathComponent(name)
    }

    /// Why a lock file or its directory is not to be trusted; nil when it is the user's own, of the right
    /// kind, and writable by nobody else.
    static func untrusted(_ status: stat, kind: mode_t, owner: UInt32, what: String) -> String? {
        guard status.st_mode & S_IFMT == kind else { return "it is not \(what) (a link planted there?)" }
        guard status.st_uid == owner else { return "it is owned by uid \(status.st_uid), not by you (uid \(owner))" }
        guard status.st_mode & 0o022 == 0 else { return "other users can write it" }
        return nil
    }

    /// A short stable name for a socket path (FNV-1a, 64 bits, hex).
    static func socketKey(_ socket: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in socket.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    /// Takes the lock, waiting up to `wait` for another run to finish; `onWait` is told once when it has
    /// to wait. Throws `lockHeld` when the other run does not finish in time. The file must be `owner`'s
    /// (`HostContext.effectiveUID`), as its directory is.
    public static func acquire(
        path: String, owner: UInt32, wait: Duration, onWait: (Int32?) -> Void
    ) async throws -> RunLock {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link; remove it" : String(cString: strerror(errno))
            throw PodstackError.hostFile(path: path, reason: reason)
        }
        var status = stat()
        if fstat(fd, &status) != 0 || untrusted(status, kind: S_IFREG, owner: owner, what: "a regular file") != nil {
            let reason = untrusted(status, kind: S_IFREG, owner: owner, what: "a regular file") ?? "cannot stat it"
            close(fd)
            throw PodstackError.hostFile(path: path, reason: reason + "; remove it")
        }
        let deadline = ContinuousClock.now + wait
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = readHolder(fd)
            if ContinuousClock.now >= deadline {
                close(fd)
                throw PodstackError.lockHeld(path: path, holderPID: holder)
            }
            if !told {
                onWait(holder)
                told = true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        return RunLock(path: path, descriptor: fd)
    }

    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
