import Glibc

/// How a copy runs, with the seams tests use to interrupt it and to deny reads.
public struct CopyOptions: Sendable {
    /// Replace destination files that differ from the source (otherwise the copy refuses before writing).
    public var overwrite: Bool
    public var chunkSize: Int
    /// Give what is written to this owner: set when run with sudo, so the user's data stays the user's.
    public var owner: FileOwner?
    public var access: any SourceFileAccess
    /// Called before each chunk is written, with the path and the bytes written so far in this run.
    /// Throwing stops the copy there, as a kill would: MigrateResumeTests interrupts a copy with it.
    public var beforeWrite: @Sendable (_ relativePath: String, _ writtenThisRun: Int64) throws -> Void
    public var progress: @Sendable (CopyProgress) -> Void
    /// Free bytes on the filesystem holding a directory (statvfs); a test hands in a small figure.
    public var freeBytes: @Sendable (_ directory: String) -> Int64?

    public init(
        overwrite: Bool = false, chunkSize: Int = 1 << 20, owner: FileOwner? = nil,
        access: any SourceFileAccess = SystemFileAccess(),
        beforeWrite: @escaping @Sendable (String, Int64) throws -> Void = { _, _ in },
        progress: @escaping @Sendable (CopyProgress) -> Void = { _ in },
        freeBytes: @escaping @Sendable (String) -> Int64? = DestinationSpace.freeBytes(at:)
    ) {
        self.overwrite = overwrite
        self.chunkSize = max(chunkSize, 512)
        self.owner = owner
        self.access = access
        self.beforeWrite = beforeWrite
        self.progress = progress
        self.freeBytes = freeBytes
    }
}

public struct FileOwner: Sendable, Hashable, Codable {
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }
}

public struct CopyProgress: Sendable {
    public var service: String
    public var path: String
    public var filesDone: Int
    public var filesTotal: Int
    public var bytesDone: Int64
    public var bytesTotal: Int64
}

/// What one service's copy did. Complete only when every entry is in the destination and verified.
public struct CopyReport: Sendable, Codable {
    public var service: String
    public var destination: String
    public var copiedFiles = 0
    public var copiedBytes: Int64 = 0
    /// Files whose partial copy from an earlier run was continued rather than started again.
    public var resumedFiles = 0
    /// Files already in the destination with the same size and SHA-256: left as they were.
    public var identicalFiles = 0
    /// Files whose destination was read back and matched the source's SHA-256 (copied plus identical).
    public var verifiedFiles = 0
    public var links = 0
    /// Destination entries that differ from the source (relative paths): refused unless `overwrite`.
    public var conflicts: [String] = []
    public var replacedFiles = 0
    public var refusedForConflicts = false
    /// Inside the root: the user may not read them.
    public var unreadable: [String] = []
    public var failures: [PassedOver] = []
    /// Units that rewrite this data in place and were running: nothing was copied (stop them first).
    public var runningUnits: [String] = []
    /// Files that changed while they were copied (a writer still at work): not placed, kept as partials.
    public var changedWhileCopied: [PassedOver] = []
    /// The service's system units, for the advice to stop them when a file changed under the copy.
    public var units: [String] = []
    /// Not copied at all: the destination's filesystem lacks the room.
    public var spaceShortage: SpaceShortage?

    public var isComplete: Bool {
        !refusedForConflicts && unreadable.isEmpty && failures.isEmpty && runningUnits.isEmpty
            && changedWhileCopied.isEmpty && spaceShortage == nil
    }
}

/// Copies a scanned tree into a destination directory without ever touching the source: each file
/// goes to a temporary name beside its destination, is read back and compared by SHA-256, and only then
/// renamed into place, so an interrupted run leaves whole files and at most one partial per file, which
/// the next run continues (see MigrateResumeTests).
public struct TreeCopier: Sendable {
    public static let partialSuffix = ".podstack-partial"
    public let options: CopyOptions

    public init(options: CopyOptions = CopyOptions()) {
        self.options = options
    }

    public func copy(_ tree: SourceTree, service: String, to destination: String) throws -> CopyReport {
        var report = CopyReport(service: service, destination: destination)
        report.unreadable = tree.unreadable
        report.failures = tree.passedOver.filter(\.holdsData)
        var checker = DestinationCheck(access: options.access, chunkSize: options.chunkSize)
        let decisions = try checker.decide(tree, destination: destination, report: &report)
        report.conflicts = decisions.conflicts
        if !report.conflicts.isEmpty && !options.overwrite {
            report.refusedForConflicts = true
            return report
        }
        var progress = CopyProgress(
            service: service, path: "", filesDone: 0, filesTotal: tree.fileCount, bytesDone: 0,
            bytesTotal: tree.byteCount)
        var writer = FileWriter(options: options, service: service)
        for entry in tree.entries {
            try Task.checkCancellation()
            let target = Self.join(destination, entry.relativePath)
            progress.path = entry.relativePath
            switch entry.kind {
            case .directory:
                if let failure = writer.makeDirectory(target, entry: entry) { report.failures.append(failure) }
            case .symlink(let linkTarget):
                if decisions.identical.contains(entry.relativePath) { continue }
                if let failure = writer.link(target, to: linkTarget, entry: entry) {
                    report.failures.append(failure)
                } else {
                    report.links += 1
                }
            case .file:
                if decisions.identical.contains(entry.relativePath) || decisions.unreadable.contains(entry.relativePath)
                {
                    progress.bytesDone += entry.size
                } else {
                    let outcome = try writer.copyFile(entry, to: target, progress: &progress)
                    switch outcome {
                    case .copied(let resumed):
                        report.copiedFiles += 1
                        report.copiedBytes += entry.size
                        report.verifiedFiles += 1
                        if resumed { report.resumedFiles += 1 }
                        if decisions.conflicts.contains(entry.relativePath) { report.replacedFiles += 1 }
                    case .unreadable: report.unreadable.append(entry.insidePath)
                    case .changedWhileCopied(let reason):
                        report.changedWhileCopied.append(
                            PassedOver(path: entry.insidePath, reason: reason, holdsData: true))
                    case .failed(let reason):
                        report.failures.append(PassedOver(path: entry.insidePath, reason: reason, holdsData: true))
                    }
                }
                progress.filesDone += 1
                options.progress(progress)
            }
        }
        // Directories last and deepest first: writing into a directory changes its mtime, and a read-only
        // mode would stop the writes.
        for entry in tree.entries.reversed() where entry.kind == .directory {
            writer.finishDirectory(Self.join(destination, entry.relativePath), entry: entry)
        }
        return report
    }

    static func join(_ directory: String, _ relative: String) -> String {
        relative.isEmpty ? directory : directory + "/" + relative
    }
}
