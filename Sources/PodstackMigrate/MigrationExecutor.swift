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
        var copies: [(service: ServiceMigration, tree: SourceTree, destination: String)] = []
        for service in plan.ready {
            guard let tree = service.tree, let destination = service.destination else { continue }
            let mustStop = service.runningUnitsThatMustStop
            if !mustStop.isEmpty && !allowRunning {
                var report = CopyReport(service: service.kind.rawValue, destination: destination)
                report.runningUnits = mustStop
                outcome.reports.append(report)
                continue
            }
            copies.append((service, tree, destination))
        }
        // Every copy onto one filesystem is measured before the first byte is written.
        let shortages = DestinationSpace.shortages(
            copies.map { ($0.tree, $0.destination) }, freeBytes: options.freeBytes)
        for (index, copy) in copies.enumerated() {
            var report: CopyReport
            if let shortage = shortages[index] {
                report = CopyReport(service: copy.service.kind.rawValue, destination: copy.destination)
                report.spaceShortage = shortage
            } else {
                let copier = TreeCopier(options: options)
                report = try copier.copy(copy.tree, service: copy.service.kind.rawValue, to: copy.destination)
            }
            report.units = copy.service.units.map(\.name)
            outcome.reports.append(report)
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
