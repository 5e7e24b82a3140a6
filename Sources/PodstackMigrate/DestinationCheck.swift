import Glibc
import PodstackHost

/// Before anything is written: which destination entries already hold the source's data (same size and
/// SHA-256: skipped), and which hold something else (a conflict, refused unless `--overwrite`).
struct DestinationCheck {
    struct Decisions {
        var identical: Set<String> = []
        var conflicts: [String] = []
        /// Source files that could not be opened for the comparison; already in the report.
        var unreadable: Set<String> = []
    }

    let access: any SourceFileAccess
    let chunkSize: Int

    mutating func decide(_ tree: SourceTree, destination: String, report: inout CopyReport) throws -> Decisions {
        var decisions = Decisions()
        for entry in tree.entries {
            try Task.checkCancellation()
            let target = TreeCopier.join(destination, entry.relativePath)
            guard let existing = FileCalls.lstatInfo(target) else { continue }
            let existingKind = FileCalls.kind(existing)
            switch entry.kind {
            case .directory:
                if existingKind != S_IFDIR { decisions.conflicts.append(entry.relativePath) }
            case .symlink(let linkTarget):
                if existingKind == S_IFLNK && HostFiles.readLink(target) == linkTarget {
                    decisions.identical.insert(entry.relativePath)
                } else {
                    decisions.conflicts.append(entry.relativePath)
                }
            case .file:
                guard existingKind == S_IFREG, Int64(existing.st_size) == entry.size else {
                    decisions.conflicts.append(entry.relativePath)
                    continue
                }
                let source = access.open(entry.hostPath, directory: false)
                guard source >= 0 else {
                    decisions.unreadable.insert(entry.relativePath)
                    if -source == EACCES || -source == EPERM {
                        report.unreadable.append(entry.insidePath)
                    } else {
                        report.failures.append(
                            PassedOver(path: entry.insidePath, reason: FileCalls.errorText(-source), holdsData: true))
                    }
                    continue
                }
                let sourceDigest = FileWriter.digest(ofDescriptor: source, chunkSize: chunkSize)
                close(source)
                if let sourceDigest, sourceDigest == FileWriter.digest(ofPath: target, chunkSize: chunkSize) {
                    decisions.identical.insert(entry.relativePath)
                    report.identicalFiles += 1
                    report.verifiedFiles += 1
                } else {
                    decisions.conflicts.append(entry.relativePath)
                }
            }
        }
        return decisions
    }

    /// The cheap look the plan takes: no hashing, only what exists and what differs in size or kind.
    static func glance(_ tree: SourceTree, destination: String) -> DestinationGlance {
        var glance = DestinationGlance()
        for entry in tree.entries where entry.kind != .directory {
            guard let existing = FileCalls.lstatInfo(TreeCopier.join(destination, entry.relativePath)) else { continue }
            glance.present += 1
            if case .file = entry.kind, FileCalls.kind(existing) == S_IFREG, Int64(existing.st_size) == entry.size {
                continue
            }
            if case .symlink = entry.kind, FileCalls.kind(existing) == S_IFLNK { continue }
            glance.differing += 1
        }
        return glance
    }
}

/// How much of the source the destination already holds, as far as sizes tell.
public struct DestinationGlance: Sendable, Codable, Hashable {
    /// Source files and links that already have an entry at their destination path.
    public var present = 0
    /// Of those, how many certainly differ (another size or kind); the rest are compared by SHA-256.
    public var differing = 0
}
