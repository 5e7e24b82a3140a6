import Foundation
import PodstackHost

/// What a person must know about one service's migration beyond "copy this there".
enum MigrationNotes {
    static func notes(for migration: ServiceMigration, image: String?, reader: SystemUnitReader) -> [String] {
        var notes: [String] = []
        for unit in migration.runningUnitsThatMustStop {
            notes.append(
                "\(unit) is running, and \(migration.kind.rawValue) rewrites its data in place: a copy taken now could be torn. "
                    + "Stop it first (sudo systemctl stop \(unit)), or pass --disable-units to have podstack disable it before copying."
            )
        }
        // Services whose files are written once (ollama's blobs) may still be writing one now (a pull).
        let stillWriting = migration.runningUnitsThatMustStop.isEmpty ? migration.units.filter(\.running) : []
        for unit in stillWriting.map(\.name) {
            notes.append(
                "\(unit) is running and may still be writing (a model being pulled): a file that changes while it is copied is not placed, and the copy is incomplete. "
                    + "Stop it first (sudo systemctl stop \(unit))."
            )
        }
        if let tree = migration.tree, !tree.followedLinks.isEmpty {
            notes.append(
                "\(tree.followedLinks.count) link(s) point outside the data directory; what they point at is copied instead, as plain files."
            )
        }
        if let glance = migration.glance, glance.present > 0 {
            notes.append(
                "The destination already holds \(glance.present) of these entries (\(glance.differing) certainly differ); "
                    + "the rest are compared by SHA-256 and skipped when equal. Differing data is refused unless --overwrite."
            )
        }
        guard migration.kind == .postgres, let source = migration.source else { return notes }
        if let version = reader.readText(source + "/PG_VERSION")?.trimmingCharacters(in: .whitespacesAndNewlines),
            let image
        {
            let tag =
                image.split(separator: "/").last?.split(separator: ":").dropFirst().first.map(String.init) ?? "latest"
            let major = tag.prefix { $0.isNumber }
            if major != version {
                notes.append(
                    "The data directory is PostgreSQL \(version) (PG_VERSION) but the stack runs \(image): a server opens only its own major version's data. "
                        + "Run postgres:\(version) (AIDB_POSTGRES_IMAGE=docker.io/library/postgres:\(version)), or dump and restore."
                )
            }
        }
        for unit in migration.units {
            guard let instance = SystemUnitReader.instance(of: unit.name), let dash = instance.firstIndex(of: "-")
            else { continue }
            let configDirectory = "/etc/postgresql/\(instance[..<dash])/\(instance[instance.index(after: dash)...])"
            if reader.readText(configDirectory + "/postgresql.conf") != nil {
                notes.append(
                    "Debian keeps this cluster's postgresql.conf and pg_hba.conf in \(configDirectory), not in the data directory, and the image needs them there: "
                        + "copy them into \(migration.destination ?? "the destination") and remove settings that name host paths (data_directory, ssl_cert_file, ...)."
                )
            }
        }
        return notes
    }
}
