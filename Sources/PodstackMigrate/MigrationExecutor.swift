/// The copying step of `podstack migrate --execute`, over every service the plan made ready. Each
/// service is copied on its own and its outcome kept, so that one unreadable directory does not leave the
/// others unknown.
public struct MigrationExecutor: Sendable {
    public let options: CopyOptions
    /// Copy even when a unit that rewrites its data in place is running (the plan warns against it).
    public let allowRunning: Bool

    public init(options: CopyOptions = CopyOptions(), allowRunning: Bool = false) {
        self.options = options
        self.allowRunning = allowRunning
    }

    /// Throws only on cancellation or when a test hook throws: what is copied so far stays, and a rerun
    /// continues from it.
    public func execute(_ plan: MigrationPlan) throws -> MigrationOutcome {
        var outcome = MigrationOutcome()
        for service in plan.ready {
            guard let tree = service.tree, let destination = service.destination else { continue }
            let mustStop = service.runningUnitsThatMustStop
            if !mustStop.isEmpty && !allowRunning {
                var report = CopyReport(service: service.kind.rawValue, destination: destination)
                report.runningUnits = mustStop
                outcome.reports.append(report)
                continue
            }
            let copier = TreeCopier(options: options)
            outcome.reports.append(try copier.copy(tree, service: service.kind.rawValue, to: destination))
        }
        return outcome
    }
}

/// Every service's copy report, and what they add up to.
public struct MigrationOutcome: Sendable, Codable {
    public var reports: [CopyReport] = []

    public var isComplete: Bool { reports.allSatisfy(\.isComplete) }
    public var hasConflicts: Bool { reports.contains { $0.refusedForConflicts } }
    /// Services copied in full and verified: only their units may be disabled.
    public var completeServices: Set<String> { Set(reports.filter(\.isComplete).map(\.service)) }
}
