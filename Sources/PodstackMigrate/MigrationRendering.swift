import Foundation
import PodstackHost

/// The text of `podstack migrate`: the plan, the outcome of a copy, and the commands that come next.
/// Kept beside the model (as the preflight's rendering is) so that tests and docs/migration.md can hold
/// it to its exact words.
public enum MigrationRendering {
    public static func plan(_ plan: MigrationPlan, executing: Bool) -> String {
        guard !plan.services.isEmpty else {
            return
                "No system unit of the stack's services (\(MigratableService.allCases.map(\.rawValue).joined(separator: ", "))) was found under \(plan.root). Nothing to migrate."
        }
        var lines = [
            "Migration from system units under \(plan.root) into the stack's data directories"
                + (executing ? ":" : " (plan only; nothing is changed):")
        ]
        for service in plan.services {
            lines.append("")
            lines.append(service.kind.rawValue + (service.stackService.map { "  -> \($0)" } ?? ""))
            let units = service.units.map { unit in
                let state = [
                    unit.enabled ? "enabled" : "disabled", unit.running ? "running" : nil,
                    unit.user.map { "User=\($0)" },
                ]
                return "\(unit.name) (\(state.compactMap { $0 }.joined(separator: ", ")))"
            }
            lines.append("  units:        " + units.joined(separator: ", "))
            switch service.state {
            case .noData:
                lines.append("  source:       none found; looked in " + service.lookedIn.joined(separator: ", "))
            case .noStackService:
                lines.append("  source:       \(service.source ?? "-")")
                lines.append("  destination:  none: the stack has no \(service.kind.rawValue) service to take it")
            case .noBindMount, .ready:
                lines.append(
                    "  source:       \(service.source ?? "-")" + (service.sourceReason.map { "  (\($0))" } ?? ""))
                lines.append("  destination:  \(service.destination ?? "none")")
            }
            if let tree = service.tree {
                lines.append(
                    "  size:         \(bytes(tree.byteCount)) in \(tree.fileCount) file\(tree.fileCount == 1 ? "" : "s")"
                )
                if !tree.unreadable.isEmpty {
                    lines.append("  unreadable:   \(tree.unreadable.count): " + sample(tree.unreadable))
                }
                for passed in tree.passedOver {
                    lines.append("  not copied:   \(passed.path): \(passed.reason)")
                }
            }
            lines += service.notes.map { "  note: " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    public static func commands(_ plan: MigrationPlan, migrateCommand: String) -> String {
        var lines = ["Commands:"]
        lines.append("  \(migrateCommand) --execute    # copy and verify; the sources stay as they are")
        if !RootedPath(root: plan.root).root.isEmpty {
            lines.append("  # the units under \(plan.root) are not this host's; on the system that runs them:")
        }
        lines += plan.units.map { "  sudo systemctl disable --now \($0.name)" }
        lines.append("  podstack preflight    # confirms the ports are free")
        lines.append("  podstack up")
        return lines.joined(separator: "\n")
    }

    public static func outcome(_ outcome: MigrationOutcome) -> String {
        outcome.reports.map { report in
            let name = report.service.padding(toLength: 10, withPad: " ", startingAt: 0)
            if !report.runningUnits.isEmpty {
                return
                    "\(name)NOT COPIED: \(report.runningUnits.joined(separator: ", ")) is running and rewrites its data in place. "
                    + "Stop it (sudo systemctl stop \(report.runningUnits.joined(separator: " "))) and rerun."
            }
            if let shortage = report.spaceShortage {
                return
                    "\(name)NOT COPIED: not enough space at \(shortage.directory): the copy needs \(bytes(shortage.needed)), "
                    + "and \(bytes(shortage.free)) is free. Nothing was written. Free some space there, or point PODSTACK_DATA_DIR at a larger disk, and rerun."
            }
            if report.refusedForConflicts {
                return
                    "\(name)REFUSED: \(report.conflicts.count) destination entr\(report.conflicts.count == 1 ? "y differs" : "ies differ") from the source: "
                    + sample(report.conflicts)
                    + ". Nothing was written for \(report.service). Move them away, or rerun with --overwrite to replace them."
            }
            var text =
                "\(name)copied \(report.copiedFiles) file\(report.copiedFiles == 1 ? "" : "s") (\(bytes(report.copiedBytes)))"
            if report.resumedFiles > 0 { text += ", \(report.resumedFiles) of them resumed" }
            if report.identicalFiles > 0 { text += ", \(report.identicalFiles) already there" }
            if report.replacedFiles > 0 { text += ", \(report.replacedFiles) replaced" }
            if report.links > 0 { text += ", \(report.links) link\(report.links == 1 ? "" : "s")" }
            text += "; \(report.verifiedFiles) verified by SHA-256 -> \(report.destination)"
            if !report.unreadable.isEmpty {
                text += "\n          INCOMPLETE: \(report.unreadable.count) unreadable: " + sample(report.unreadable)
            }
            for failure in report.failures { text += "\n          FAILED: \(failure.path): \(failure.reason)" }
            for changed in report.changedWhileCopied {
                text += "\n          CHANGED WHILE COPIED: \(changed.path): \(changed.reason); not placed"
            }
            if !report.changedWhileCopied.isEmpty {
                let stop = report.units.isEmpty ? "" : " (sudo systemctl stop \(report.units.joined(separator: " ")))"
                text +=
                    "\n          Something is still writing this data. Stop it first\(stop), then rerun to finish the copy."
            }
            return text
        }.joined(separator: "\n")
    }

    /// What to run next once a service's data is safe: only for those copied completely.
    public static func disableCommands(_ plan: MigrationPlan, complete: Set<String>) -> [String] {
        plan.services.filter { complete.contains($0.kind.rawValue) }.flatMap(\.units).map {
            "sudo systemctl disable --now \($0.name)"
        }
    }

    static func sample(_ paths: [String]) -> String {
        paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? ", and \(paths.count - 3) more" : "")
    }

    /// Decimal units, as `ollama list` and `du --si` print them.
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// What to tell a user who may not read some of the data.
public enum MigrationAdvice {
    /// `sources` are host paths. `rerun` is the whole `sudo ... podstack migrate --execute ...` line.
    public static func unreadable(sources: [String], user: String, rerun: String) -> String {
        var ancestors: [String] = []
        for source in sources {
            var prefix = ""
            for component in source.split(separator: "/").dropLast() {
                prefix += "/" + component
                if !ancestors.contains(prefix) { ancestors.append(prefix) }
            }
        }
        var lines = [
            "Some data belongs to another user (usually root or the service's) and you may not read it. Either let yourself read it:"
        ]
        lines += sources.map { "  sudo setfacl -R -m u:\(user):rX \($0)" }
        if !ancestors.isEmpty { lines.append("  sudo setfacl -m u:\(user):x " + ancestors.joined(separator: " ")) }
        lines.append(
            "and rerun the same podstack migrate command; or run the copy as root (what it writes is given to you):")
        lines.append("  " + rerun)
        return lines.joined(separator: "\n")
    }
}
