import Glibc

/// What /proc says about one process.
public struct ProcessDetails: Sendable, Hashable {
    public var pid: Int
    /// /proc/PID/comm: the short name (`ollama`), at most 15 characters.
    public var name: String?
    /// /proc/PID/cmdline with its NUL separators turned into spaces.
    public var commandLine: String?
    /// The real uid from the `Uid:` line of /proc/PID/status.
    public var uid: Int?
    /// The cgroup path systemd tracks the process in (see `CgroupClassifier.unitPath`).
    public var cgroupPath: String?

    /// The executable as a person would recognise it: the first word of the command line.
    public var executable: String? {
        commandLine?.split(separator: " ").first.map(String.init)
    }
}

/// The processes under `<root>/proc`. Every read is best-effort: a process may exit mid-walk, and an
/// unprivileged user may not read what belongs to others.
public struct ProcessTable: Sendable {
    public let procDirectory: String
    /// Simulates an unprivileged user on a root-run test: /proc/PID/fd reads fail as EACCES would.
    public let assumeUnreadableFds: Bool

    public init(root: String, assumeUnreadableFds: Bool = false) {
        self.procDirectory = root.hasSuffix("/") ? root + "proc" : root + "/proc"
        self.assumeUnreadableFds = assumeUnreadableFds
    }

    /// The pids that exist right now.
    public func pids() -> [Int] {
        guard case .success(let names) = HostFiles.list(procDirectory) else { return [] }
        return names.compactMap { parseDecimal($0.utf8) }
    }

    public func details(of pid: Int) -> ProcessDetails {
        let base = "\(procDirectory)/\(pid)"
        let name = HostFiles.readText("\(base)/comm").map { $0.trimmingTrailingNewlines() }
        let commandLine = HostFiles.readText("\(base)/cmdline").map {
            String($0.map { $0 == "\0" ? " " : $0 }).trimmingTrailingSpaces()
        }
        let uid = HostFiles.readText("\(base)/status").flatMap(Self.realUID(fromStatus:))
        let cgroupPath = HostFiles.readText("\(base)/cgroup").flatMap(CgroupClassifier.unitPath(fromProcCgroup:))
        return ProcessDetails(
            pid: pid, name: name?.isEmpty == false ? name : nil,
            commandLine: commandLine?.isEmpty == false ? commandLine : nil, uid: uid, cgroupPath: cgroupPath)
    }

    /// The first number of the `Uid:` line (real, effective, saved, filesystem).
    static func realUID(fromStatus status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix("Uid:") {
            return line.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        }
        return nil
    }

    /// The outcome of mapping socket inodes to processes.
    public struct SocketOwners: Sendable {
        /// Socket inode to the pid that has it open (the lowest pid when several share it).
        public var pidByInode: [UInt64: Int] = [:]
        /// Processes whose fd directory could not be read: the unprivileged view.
        public var unreadableProcessCount = 0
    }

    /// One walk over /proc/*/fd that stops as soon as every wanted inode has an owner. `ss -p` does the
    /// same walk; reading links as raw bytes and skipping everything but `socket:[` keeps it as fast.
    public func owners(of wantedInodes: Set<UInt64>) -> SocketOwners {
        var result = SocketOwners()
        guard !wantedInodes.isEmpty else { return result }
        var remaining = wantedInodes
        for pid in pids().sorted() {
            let fdDirectory = "\(procDirectory)/\(pid)/fd"
            if assumeUnreadableFds {
                result.unreadableProcessCount += 1
                continue
            }
            let failure = HostFiles.forEachEntry(fdDirectory) { name in
                guard let first = name.first, first != UInt8(ascii: ".") else { return true }
                let fdName = String(decoding: name, as: UTF8.self)
                if let inode = Self.socketInode(linkPath: "\(fdDirectory)/\(fdName)"), remaining.remove(inode) != nil {
                    result.pidByInode[inode] = pid
                }
                return !remaining.isEmpty
            }
            if failure == .permissionDenied { result.unreadableProcessCount += 1 }
            if remaining.isEmpty { break }
        }
        return result
    }

    /// The inode in a `socket:[12345]` link, nil for files, pipes and anything else. The link is read
    /// into a small stack buffer: a socket link is at most 29 bytes, anything longer is not one.
    static func socketInode(linkPath: String) -> UInt64? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { buffer in
            guard let base = buffer.baseAddress else { return nil }
            let count = readlink(linkPath, base, buffer.count)
            guard count > 0, count < buffer.count else { return nil }
            let raw = UnsafeRawBufferPointer(start: base, count: count)
            return socketInode(linkTarget: raw)
        }
    }

    static func socketInode<Bytes: Collection>(linkTarget: Bytes) -> UInt64? where Bytes.Element == UInt8 {
        let prefix = Array("socket:[".utf8)
        guard linkTarget.count > prefix.count + 1, linkTarget.starts(with: prefix),
            linkTarget.reversed().first == UInt8(ascii: "]")
        else { return nil }
        return parseDecimal(linkTarget.dropFirst(prefix.count).dropLast()).map(UInt64.init)
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while text.last == "\n" || text.last == "\r" { text = text.dropLast() }
        return String(text)
    }

    func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
