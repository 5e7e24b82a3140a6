/// The CDI specs Podman can see, read from the directories it reads under a root. Podman 4.3.1 reads
/// /etc/cdi and then /var/run/cdi, and has no setting to change them (containers.conf's `cdi_spec_dirs`
/// came later); a later directory wins over an earlier one for the same device, and two specs in one
/// directory that define the same device make it unresolvable (both seen on the test bed, docs/gpus.md).
public struct CDISpecDirectories: Sendable {
    public static let podmanDefaults = ["/etc/cdi", "/var/run/cdi"]
    /// The extensions the CDI library reads; other files in the directories are ignored, as it ignores them.
    static let specExtensions = [".yaml", ".yml", ".json"]

    public let root: String
    public let directories: [String]

    public init(root: String, directories: [String] = CDISpecDirectories.podmanDefaults) {
        self.root = root
        self.directories = directories
    }

    /// Every spec file of every directory, valid or not, in the order Podman weighs them.
    public func read() -> CDISpecCatalog {
        let rooted = RootedPath(root: root)
        var entries: [CDISpecCatalog.Entry] = []
        for (priority, directory) in directories.enumerated() {
            guard let hostDirectory = rooted.resolve(directory),
                case .success(let names) = HostFiles.list(hostDirectory)
            else { continue }
            for name in names.sorted() where Self.specExtensions.contains(where: name.hasSuffix) {
                let file = directory + "/" + name
                guard let text = HostFiles.readText(hostDirectory + "/" + name) else {
                    let failure = CDISpecError(file: file, reason: "cannot be read")
                    entries.append(CDISpecCatalog.Entry(priority: priority, spec: .failure(failure)))
                    continue
                }
                entries.append(CDISpecCatalog.Entry(priority: priority, spec: CDISpec.parse(text, file: file)))
            }
        }
        return CDISpecCatalog(entries: entries)
    }
}

/// The specs found, and the answer to "which spec gives this device?" as Podman would give it.
public struct CDISpecCatalog: Sendable {
    public struct Entry: Sendable {
        /// The directory's place in the search order; higher wins.
        public var priority: Int
        public var spec: Result<CDISpec, CDISpecError>
    }

    public enum Resolution: Sendable, Hashable {
        case found(CDISpec, CDISpec.Device)
        /// No valid spec declares the kind; the broken specs that declare it (or whose kind is unreadable).
        case noSpec(broken: [CDISpecError])
        /// Specs of the kind exist, but none defines the device: their files, and the names they do define.
        case noSuchDevice(files: [String], available: [String], broken: [CDISpecError])
        /// Two specs of the same directory define the device; Podman refuses to pick one.
        case conflict(files: [String])
        /// The spec that defines it is newer than this Podman reads.
        case tooNew(CDISpec, supported: CDIVersion)
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public var specs: [CDISpec] { entries.compactMap { try? $0.spec.get() } }

    public var failures: [CDISpecError] {
        entries.compactMap { entry in
            if case .failure(let error) = entry.spec { return error }
            return nil
        }
    }

    /// Every device name Podman could resolve (`nvidia.com/gpu=0`), for `podstack info`.
    public func resolvableNames(newestVersion: CDIVersion? = nil) -> [String] {
        let names = specs.flatMap { spec in spec.devices.map { "\(spec.kind)=\($0.name)" } }
        return Array(Set(names)).sorted().filter { name in
            guard case .success(let parsed) = CDIDeviceName.parse(name) else { return false }
            if case .found = resolve(parsed, newestVersion: newestVersion) { return true }
            return false
        }
    }

    /// Which spec gives `name`. `newestVersion` is the newest spec version the Podman in use reads (0.5.0 for
    /// 4.3.1); nil accepts every version.
    public func resolve(_ name: CDIDeviceName, newestVersion: CDIVersion? = nil) -> Resolution {
        let broken = failures.filter { $0.kind == nil || $0.kind == name.kind }
        // A spec newer than Podman reads is skipped by it, as if the file were not there.
        let readable = { (spec: CDISpec) in
            guard let newestVersion, let version = CDIVersion(spec.version) else { return true }
            return version <= newestVersion
        }
        let allOfKind = entries.compactMap { entry -> (Int, CDISpec)? in
            guard case .success(let spec) = entry.spec, spec.kind == name.kind else { return nil }
            return (entry.priority, spec)
        }
        let ofKind = allOfKind.filter { readable($0.1) }
        let defining = ofKind.filter { $0.1.device(named: name.name) != nil }
        guard let top = defining.map(\.0).max() else {
            if let newestVersion, let skipped = allOfKind.first(where: { $0.1.device(named: name.name) != nil }) {
                return .tooNew(skipped.1, supported: newestVersion)
            }
            guard !ofKind.isEmpty else { return .noSpec(broken: broken) }
            let available = Array(Set(ofKind.flatMap(\.1.deviceNames))).sorted()
            return .noSuchDevice(files: ofKind.map(\.1.file), available: available, broken: broken)
        }
        let winners = defining.filter { $0.0 == top }.map(\.1)
        guard winners.count == 1, let spec = winners.first, let device = spec.device(named: name.name) else {
            return .conflict(files: winners.map(\.file))
        }
        return .found(spec, device)
    }
}
