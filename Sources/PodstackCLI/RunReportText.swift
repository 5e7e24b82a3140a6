import Foundation
import PodstackCore

/// `up`'s report as text: the table it prints, and what it says of each service that failed.
enum RunReportText {
    static func table(_ report: StackRunReport) -> String {
        TextTable.render(
            header: ["POD", "SERVICE", "STATE", "HEALTH", "READY IN", "PORTS"],
            rows: report.services.map { service in
                [
                    service.pod, service.service, service.phase.rawValue, service.health ?? "-",
                    service.secondsToReady.map { String(format: "%.1fs", $0) } ?? "-",
                    service.ports.joined(separator: ", "),
                ]
            })
    }

    /// Each failed or skipped service with its reason and the tail of its log.
    static func failures(_ report: StackRunReport) -> String {
        var text = ""
        for service in report.services where service.phase == .failed || service.phase == .skipped {
            text += "\n\(service.pod)/\(service.service): \(service.failure ?? service.phase.rawValue)"
            if !service.logTail.isEmpty {
                text +=
                    "\n  last \(service.logTail.count) log lines of \(service.logSource ?? service.container):\n"
                    + service.logTail.map { "    | " + $0 }.joined(separator: "\n")
            }
        }
        return text
    }
}
