import Foundation
import Glibc
import PodstackMigrate

/// Compares two trees independently of the code under test: every byte of every file, modes, mtimes,
/// and link targets. Returns what differs, empty when the copy is exact.
public enum TreeComparison {
    public static func differences(source: String, copy: String) -> [String] {
        var problems: [String] = []
        let manager = FileManager.default
        guard let names = manager.enumerator(atPath: source)?.allObjects as? [String] else {
            return ["cannot list \(source)"]
        }
        for name in names.sorted() {
            let from = source + "/" + name
            let to = copy + "/" + name
            var fromInfo = stat()
            var toInfo = stat()
            guard lstat(from, &fromInfo) == 0 else { continue }
            guard lstat(to, &toInfo) == 0 else {
                problems.append("\(name): missing")
                continue
            }
            if fromInfo.st_mode & S_IFMT == S_IFLNK {
                let same =
                    (try? manager.destinationOfSymbolicLink(atPath: from))
                    == (try? manager.destinationOfSymbolicLink(atPath: to))
                if !same { problems.append("\(name): link target differs") }
                continue
            }
            if fromInfo.st_mode & S_IFMT == S_IFREG {
                if manager.contents(atPath: from) != manager.contents(atPath: to) {
                    problems.append("\(name): bytes differ")
                }
                if fromInfo.st_mode & 0o7777 != toInfo.st_mode & 0o7777 { problems.append("\(name): mode differs") }
                if fromInfo.st_mtim.tv_sec != toInfo.st_mtim.tv_sec
                    || fromInfo.st_mtim.tv_nsec != toInfo.st_mtim.tv_nsec
                {
                    problems.append("\(name): mtime differs")
                }
            }
        }
        return problems
    }

    /// Files left under a temporary name by an interrupted copy.
    public static func partials(under directory: String) -> [String] {
        (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).filter {
            $0.hasSuffix(TreeCopier.partialSuffix)
        }
    }
}
