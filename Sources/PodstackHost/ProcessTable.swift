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

        public init() {}
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
            let failure = Self.forEachSocketInode(inFdDirectory: fdDirectory) { inode in
                if remaining.remove(inode) != nil { result.pidByInode[inode] = pid }
                return !remaining.isEmpty
            }
            if failure == .permissionDenied { result.unreadableProcessCount += 1 }
            if remaining.isEmpty { break }
        }
        return result
    }

    /// Calls `body` with the inode of every socket among a process's open files, until it returns
    /// false. Links are read with readlinkat on the directory's own descriptor straight from the
    /// entry's name, into a small stack buffer (a socket link is at most 29 bytes; longer is not one),
    /// so the hot loop builds no paths and no Strings: this is where `ss -p` spends its time too.
    static func forEachSocketInode(inFdDirectory path: String, _ body: (UInt64) -> Bool) -> HostFiles.Failure? {
        guard let directory = opendir(path) else { return HostFiles.Failure(errno: errno) }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { buffer -> HostFiles.Failure? in
            guard let target = buffer.baseAddress else { return nil }
            while let entry = readdir(directory) {
                guard entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) else {
                    continue
                }
                let count = withUnsafePointer(to: &entry.pointee.d_name) { name in
                    name.withMemoryRebound(to: CChar.self, capacity: 256) {
                        readlinkat(descriptor, $0, target, buffer.count)
                    }
                }
                guard count > 0, count < buffer.count,
                    let inode = socketInode(linkTarget: UnsafeRawBufferPointer(start: target, count: count))
                else { continue }
                if !body(inode) { break }
            }
            return nil
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
    package func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while text.last == "\n" || text.last == "\r" { text = text.dropLast() }
        return String(text)
    }

    package func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
