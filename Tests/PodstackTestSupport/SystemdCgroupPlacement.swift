import Foundation
import Glibc

/// Puts processes in the cgroup `system.slice/<unit>` of systemd's hierarchy, the way systemd places a
/// unit's processes, on hosts where systemd is not running (CI containers, this project's machines).
///
/// Where the hierarchy is found, in order:
/// - a v2 host: the unified root `/sys/fs/cgroup`;
/// - a v1 or hybrid host: the named hierarchy `/sys/fs/cgroup/systemd` (this project's machines have it
///   mounted read-write with nothing in it);
/// - otherwise a private `name=systemd` hierarchy mounted at `/sys/fs/cgroup/systemd`, if root may.
/// On a host where systemd is PID 1 the unit goes under `podstack-preflight-test/` so that systemd's
/// own `system.slice` is left alone; classification finds the unit under that prefix just the same.
public final class SystemdCgroupPlacement {
    public private(set) var unitDirectory = ""
    private var createdDirectories: [String] = []
    private var mountedHierarchy: String?

    public enum Unavailable: Error, CustomStringConvertible {
        case notRoot
        case noHierarchy(String)
        case notWritable(String, Int32)

        public var description: String {
            switch self {
            case .notRoot: return "placing a process in a systemd cgroup needs root"
            case .noHierarchy(let why): return "no systemd cgroup hierarchy and none could be mounted: \(why)"
            case .notWritable(let path, let code): return "cannot create \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    public init(unit: String) throws {
        guard geteuid() == 0 else { throw Unavailable.notRoot }
        let hierarchy: String
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") {
            hierarchy = "/sys/fs/cgroup"
        } else if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/systemd/cgroup.procs") {
            hierarchy = "/sys/fs/cgroup/systemd"
        } else {
            hierarchy = "/sys/fs/cgroup/systemd"
            try Self.mountNamedHierarchy(at: hierarchy)
            mountedHierarchy = hierarchy
        }
        let systemdIsInit = (try? String(contentsOfFile: "/proc/1/comm", encoding: .utf8))?.hasPrefix("systemd") == true
        var path = hierarchy
        let components = (systemdIsInit ? ["podstack-preflight-test"] : []) + ["system.slice", unit]
        for component in components {
            path += "/" + component
            if FileManager.default.fileExists(atPath: path) { continue }
            guard mkdir(path, 0o755) == 0 else {
                let code = errno
                remove()
                throw Unavailable.notWritable(path, code)
            }
            createdDirectories.append(path)
        }
        unitDirectory = path
    }

    private static func mountNamedHierarchy(at path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw Unavailable.noHierarchy("mkdir \(path): \(String(cString: strerror(errno)))")
        }
        guard mount("cgroup", path, "cgroup", 0, "none,name=systemd") == 0 else {
            throw Unavailable.noHierarchy("mount -t cgroup -o none,name=systemd: \(String(cString: strerror(errno)))")
        }
    }

    public func add(pid: Int) throws {
        let procs = unitDirectory + "/cgroup.procs"
        guard let handle = FileHandle(forWritingAtPath: procs) else { throw Unavailable.notWritable(procs, errno) }
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("\(pid)\n".utf8))
    }

    /// Removes what this placement created, deepest first. A cgroup can only be removed once its last
    /// process has gone, which takes the kernel a moment after the process is reaped.
    public func remove() {
        for directory in createdDirectories.reversed() {
            for _ in 0..<100 where rmdir(directory) != 0 && errno == EBUSY { usleep(20_000) }
        }
        createdDirectories.removeAll()
        if let mountedHierarchy {
            umount(mountedHierarchy)
            rmdir(mountedHierarchy)
            self.mountedHierarchy = nil
        }
    }

    deinit { remove() }
}
