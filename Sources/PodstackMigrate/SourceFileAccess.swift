import Glibc
import PodstackHost

/// How migration opens the files it reads. The seam exists because tests run as root in CI, where a
/// file of mode 000 is still readable: a test hands in an access that answers EACCES for chosen paths
/// (MigrateUnreadableTests), and the copier must then report them, not skip them.
public protocol SourceFileAccess: Sendable {
    /// A descriptor open for reading (`O_DIRECTORY` when `directory`), or `-errno`.
    func open(_ hostPath: String, directory: Bool) -> Int32
}

/// The real thing: open(2), never following a final symbolic link (links are copied as links).
public struct SystemFileAccess: SourceFileAccess {
    public init() {}

    public func open(_ hostPath: String, directory: Bool) -> Int32 {
        let flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (directory ? O_DIRECTORY : 0)
        let descriptor = Glibc.open(hostPath, flags)
        return descriptor >= 0 ? descriptor : -errno
    }
}

/// Small wrappers over the system calls the scanner and the copier share.
enum FileCalls {
    static func lstatInfo(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    static func statInfo(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// Names in an open directory, sorted; takes ownership of the descriptor.
    static func list(descriptor: Int32) -> [String]? {
        guard case .success(let names) = HostFiles.list(descriptor: descriptor) else { return nil }
        return names.sorted()
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func kind(_ info: stat) -> mode_t { info.st_mode & S_IFMT }
}
