import Foundation
import PodstackCompose
import PodstackHost

/// Reads the host (under `root`) and the loaded stack, and says what a migration would copy where.
/// Reads only: nothing is written, and no source file is opened for more than a moment.
public struct MigrationPlanner: Sendable {
    public let root: String
    public let stack: Stack
    public let access: any SourceFileAccess

    public init(root: String, stack: Stack, access: any SourceFileAccess = SystemFileAccess()) {
        self.root = root
        self.stack = stack
        self.access = access
    }

    /// One entry per service that has a system unit; `only` limits it to some (by service name).
    public func plan(only: Set<MigratableService>? = nil) -> MigrationPlan {
        let reader = SystemUnitReader(root: root)
        let enabled = Set(reader.units.enabledUnits().filter { $0.scope == .system }.map(\.name))
        let passwd = PasswdFile(root: root)
        // Running now: a system unit with processes in the root's cgroup tree (the host's own under `/`).
        let running = Set(CgroupTree(root: root).runningUnits().compactMap(\.systemUnitName))
        var services: [ServiceMigration] = []
        for kind in MigratableService.allCases where only?.contains(kind) ?? true {
            let names =
                kind.unitNames + enabled.sorted().filter { name in kind.unitPrefixes.contains { name.hasPrefix($0) } }
            let settings = names.compactMap(reader.settings(ofUnit:))
            guard !settings.isEmpty else { continue }
            let found = settings.map { unit in
                FoundUnit(
                    name: unit.name, files: unit.files, enabled: enabled.contains(unit.name),
                    running: running.contains(unit.name), user: unit.user)
            }
            services.append(migration(of: kind, units: settings, found: found, passwd: passwd, reader: reader))
        }
        return MigrationPlan(root: root, services: services)
    }

    private func migration(
        of kind: MigratableService, units: [SystemUnitSettings], found: [FoundUnit], passwd: PasswdFile,
        reader: SystemUnitReader
    ) -> ServiceMigration {
        var result = ServiceMigration(
            kind: kind, units: found, lookedIn: [], state: .noData,
            notes: units.flatMap { unit in
                unit.unreadableEnvironmentFiles.map {
                    "\(unit.name): cannot read its EnvironmentFile \($0); a data path set there is not seen"
                }
            })
        // The first unit whose data exists wins; the stack has one service of each kind to copy into.
        for unit in units {
            for (rawCandidate, reason) in sources(of: kind, unit: unit, passwd: passwd, reader: reader) {
                let candidate = Self.normalize(rawCandidate)
                result.lookedIn.append(candidate)
                guard result.source == nil, let host = reader.paths.resolve(candidate),
                    FileManager.default.fileExists(atPath: host)
                else { continue }
                result.source = candidate
                result.sourceReason = reason
            }
        }
        if let service = kind.stackService(in: stack) {
            result.stackService = "\(service.podName)/\(service.name)"
            let containerPath = service.environment[kind.dataVariable] ?? kind.containerPath
            result.destination = Self.hostPath(for: containerPath, in: service)
            if result.destination == nil {
                result.notes.append(
                    "\(service.podName)/\(service.name) keeps \(containerPath) in a named volume or not at all; migrate copies only into bind-mounted directories (add one under ${PODSTACK_DATA_DIR})"
                )
            }
        }
        guard let source = result.source else { return result }
        result.tree = SourceTreeScanner(paths: reader.paths, access: access).scan(source)
        guard result.stackService != nil else {
            result.state = .noStackService
            return result
        }
        guard let destination = result.destination, let tree = result.tree else {
            result.state = result.tree == nil ? .noData : .noBindMount
            return result
        }
        result.state = .ready
        result.glance = DestinationCheck.glance(tree, destination: destination)
        result.notes += MigrationNotes.notes(for: result, image: kind.stackService(in: stack)?.image, reader: reader)
        return result
    }

    /// Candidate data directories with the reason for each: the unit's variable when it sets one (only
    /// that, since it is where the service wrote), else the defaults of the service.
    private func sources(
        of kind: MigratableService, unit: SystemUnitSettings, passwd: PasswdFile, reader: SystemUnitReader
    ) -> [(String, String)] {
        let working = unit.workingDirectory.map { $0.hasPrefix("-") ? String($0.dropFirst()) : $0 }
        if let value = unit.environment[kind.dataVariable], !value.isEmpty {
            let path = value.hasPrefix("/") ? value : "\(working ?? "/")/\(value)"
            return [(path, "\(kind.dataVariable) in \(unit.name)")]
        }
        let user = unit.user ?? "root"
        let home = passwd.home(of: user) ?? (user == "root" ? "/root" : nil)
        return kind.defaultSources(unit: unit, user: user, home: home, readText: reader.readText)
    }

    /// `/var/lib/qdrant/./storage` as `/var/lib/qdrant/storage`: lexically, since links are resolved
    /// later, inside the root.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The host directory behind `containerPath`: the bind mount whose target holds it, deepest first.
    static func hostPath(for containerPath: String, in service: ServiceDefinition) -> String? {
        let candidates = service.mounts.filter { mount in
            containerPath == mount.target
                || containerPath.hasPrefix(mount.target.hasSuffix("/") ? mount.target : mount.target + "/")
        }
        guard let mount = candidates.max(by: { $0.target.count < $1.target.count }),
            case .bind(let source, let target, _, _) = mount
        else { return nil }
        let remainder = containerPath.dropFirst(target.count).drop { $0 == "/" }
        return remainder.isEmpty ? source : source + "/" + remainder
    }
}
