import Foundation
import Glibc

/// A directory tree standing in for a host's `/`: /proc, /sys/fs/cgroup, /etc. Removed when released.
public final class RecordedTree {
    public let root: String

    public init() throws {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("podstack-tree-XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw RecordedTreeError.cannotCreate(template) }
        root = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    public var rootURL: URL { URL(fileURLWithPath: root) }

    public func path(_ inside: String) -> String { root + (inside.hasPrefix("/") ? inside : "/" + inside) }

    public func write(_ inside: String, _ text: String) throws { try write(inside, bytes: Array(text.utf8)) }

    /// A file with exactly these bytes and mode; `modified` sets its mtime (seconds, and a fixed fraction, so
    /// that a copy that drops nanoseconds shows).
    public func write(_ inside: String, bytes: [UInt8], mode: mode_t = 0o644, modified: Int? = nil) throws {
        let full = path(inside)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        chmod(full, mode)
        if let modified {
            var times = [
                timespec(tv_sec: modified, tv_nsec: 123_456_789), timespec(tv_sec: modified, tv_nsec: 123_456_789),
            ]
            utimensat(AT_FDCWD, full, &times, 0)
        }
    }

    public func directory(_ inside: String) throws {
        try FileManager.default.createDirectory(atPath: path(inside), withIntermediateDirectories: true)
    }

    /// A symbolic link at `inside` whose target is stored exactly as given (relative or absolute).
    public func link(_ inside: String, to target: String) throws {
        let full = path(inside)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard symlink(target, full) == 0 else { throw RecordedTreeError.cannotLink(full, errno) }
    }

    /// A process as /proc shows it: comm, cmdline, status with its uid, cgroup, and fd links to sockets.
    public func process(
        pid: Int, name: String, commandLine: [String], uid: Int, cgroup: String, socketInodes: [UInt64]
    )
        throws
    {
        try write("/proc/\(pid)/comm", name + "\n")
        try write("/proc/\(pid)/cmdline", commandLine.joined(separator: "\0") + "\0")
        try write(
            "/proc/\(pid)/status",
            "Name:\t\(name)\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t\(uid)\t\(uid)\t\(uid)\t\(uid)\n")
        try write("/proc/\(pid)/cgroup", cgroup)
        try directory("/proc/\(pid)/fd")
        try link("/proc/\(pid)/fd/0", to: "/dev/null")
        for (index, inode) in socketInodes.enumerated() {
            try link("/proc/\(pid)/fd/\(index + 3)", to: "socket:[\(inode)]")
        }
    }

    public static let tcpHeader =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    public static let tcp6Header =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    public static let udpHeader =
        "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"

    /// One line in the kernel's format; `localHex` is the address as the kernel prints it.
    public static func socketLine(
        slot: Int, localHex: String, port: Int, state: String, uid: Int, inode: UInt64
    ) -> String {
        let remote = String(repeating: "0", count: localHex.count) + ":0000"
        let portHex = String(format: "%04X", port)
        return String(format: "%4d: ", slot)
            + "\(localHex):\(portHex) \(remote) \(state) 00000000:00000000 00:00000000 00000000 "
            + String(format: "%5d", uid) + "        0 \(inode) 1 0000000000000000 100 0 0 10 0\n"
    }
}

public enum RecordedTreeError: Error {
    case cannotCreate(String)
    case cannotLink(String, Int32)
}
