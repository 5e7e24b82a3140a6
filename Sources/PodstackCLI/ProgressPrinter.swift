import Foundation
import PodstackCore
import Synchronization

/// Prints progress events as lines: one per service change, pull progress folded into one updating line
/// on a terminal and thinned to a line per step elsewhere.
final class ProgressPrinter: Sendable {
    private let startedAt = ContinuousClock.now
    private let lastPull = Mutex<[String: String]>([:])
    private let terminal = Console.stderrIsTerminal

    var sink: StackEventSink {
        { [self] event in handle(event) }
    }

    private func handle(_ event: StackEvent) {
        let elapsed = ContinuousClock.now - startedAt
        let stamp = String(
            format: "%6.1fs", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        switch event {
        case .step(let text):
            Console.error("\(stamp)  \(text)")
        case .warning(let text):
            Console.error("\(stamp)  warning: \(text)")
        case .pull(let image, let progress):
            if terminal {
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(stamp)  pull \(image): \(progress.prefix(100))".utf8))
                if progress.hasPrefix("pulled") { FileHandle.standardError.write(Data("\n".utf8)) }
            } else {
                let changed = lastPull.withLock { seen -> Bool in
                    defer { seen[image] = progress }
                    return seen[image] != progress
                }
                if changed { Console.error("\(stamp)  pull \(image): \(progress)") }
            }
        case .build(let image, let line):
            Console.error("\(stamp)  build \(image): \(line)")
        case .service(let pod, let service, let phase, let detail):
            // Padded to line the phases up, never cut: `padding(toLength:)` would truncate a long name.
            let plain = "\(pod)/\(service)"
            let name = plain.count < 26 ? plain.padding(toLength: 26, withPad: " ", startingAt: 0) : plain
            Console.error("\(stamp)  \(name) \(phase.rawValue)" + (detail.map { "  (\($0))" } ?? ""))
        }
    }
}
