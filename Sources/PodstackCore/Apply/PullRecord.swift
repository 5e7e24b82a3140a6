import Foundation

/// When podstack last pulled each image from its registry, per Podman service: what `pull_policy: daily`,
/// `weekly` and `every_<duration>` are measured against, as Podman keeps no pull time of its own (its
/// image's `Created` is the build's time). One small JSON file per user and socket under
/// `$XDG_STATE_HOME/podstack` (else `~/.local/state/podstack`); an image it does not know is due.
/// Losing the file costs one pull too many, never one too few.
struct PullRecord: Sendable {
    let path: String?

    init(environment: [String: String], socketPath: String) {
        let state =
            environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? environment["HOME"].map { $0 + "/.local/state" }
        path = state.map { "\($0)/podstack/pulled-\(getuid())-\(RunLock.socketKey(socketPath)).json" }
    }

    func lastPulled(_ image: String) -> Date? {
        read()[image].map { Date(timeIntervalSince1970: $0) }
    }

    /// Notes a pull that just succeeded. A file that cannot be written is skipped: the next run pulls again.
    func notePulled(_ image: String, at date: Date = Date()) {
        guard let path else { return }
        var times = read()
        times[image] = date.timeIntervalSince1970.rounded()
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard let data = try? JSONEncoder().encode(times) else { return }
        // Written to a new file and renamed over the old one: a reader never sees half a file.
        let temporary = path + ".\(getpid()).tmp"
        if FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) {
            if rename(temporary, path) != 0 { unlink(temporary) }
        }
    }

    private func read() -> [String: Double] {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return [:] }
        return (try? JSONDecoder().decode([String: Double].self, from: data)) ?? [:]
    }
}
