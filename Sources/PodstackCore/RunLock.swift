import Foundation

/// One `up` or `down` at a time per user: an advisory `flock` on a file in the user's runtime directory.
/// The kernel drops the lock when the process dies, so a killed run never leaves a stale lock.
public final class RunLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    public static func defaultPath(host: HostContext) -> String {
        let directory =
            host.environment["XDG_RUNTIME_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()
        return (directory as NSString).appendingPathComponent("podstack-\(host.effectiveUID).lock")
    }

    /// Takes the lock, waiting up to `wait` for another run to finish; `onWait` is told once when it has
    /// to wait. Throws `lockHeld` when the other run does not finish in time.
    public static func acquire(path: String, wait: Duration, onWait: (Int32?) -> Void) async throws -> RunLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PodstackError.hostFile(path: path, reason: String(cString: strerror(errno))) }
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
