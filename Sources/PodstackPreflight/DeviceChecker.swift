import Glibc
import PodstackHost

/// Checks the devices a stack asks for before anything is created: that Podman can resolve each CDI name
/// against the specs it reads, that the files those specs inject are still there, and that the user can open
/// every node. Reads only files under `root`, so tests run on recorded trees.
public struct DeviceChecker: Sendable {
    /// Who will open the devices: the user Podman runs as.
    public struct User: Sendable, Hashable {
        public var uid: Int
        public var name: String
        public var primaryGID: Int
        /// The groups the running session has (getgroups(2)); nil when unknown. A user added to a group
        /// since logging in is in /etc/group but not yet in their session.
        public var sessionGIDs: Set<Int>?
        /// The user is this process: on the real root the kernel is asked (access(2)), which counts the ACLs
        /// a desktop session puts on /dev/dri/card* that mode bits do not show.
        public var isThisProcess: Bool
        /// Root checks for this user, whose rootless Podman service it drives: sentences and commands name
        /// the user instead of saying "you".
        public var checkedOnBehalf: Bool

        public init(
            uid: Int, name: String, primaryGID: Int, sessionGIDs: Set<Int>? = nil, isThisProcess: Bool = false,
            checkedOnBehalf: Bool = false
        ) {
            self.uid = uid
            self.name = name
            self.primaryGID = primaryGID
            self.sessionGIDs = sessionGIDs
            self.isThisProcess = isThisProcess
            self.checkedOnBehalf = checkedOnBehalf
        }

        /// The user whose containers open the devices: the Podman service's (its socket's owner). When root
        /// drives another user's rootless service, root itself could open every node, but the containers run
        /// in that user's namespace, so the check is made as that user, by mode bits and /etc/group (their
        /// session's groups are not this process's). Otherwise the user is this process's.
        public static func serving(ownerUID: Int, runnerUID: Int, root: String) -> User {
            guard runnerUID == 0, ownerUID != 0 else { return current(root: root) }
            let passwd = PasswdFile(root: root)
            // A uid without a passwd line: its gid is taken to be the uid, as `up` hands data directories
            // to uid:uid.
            return User(
                uid: ownerUID, name: passwd.userName(of: ownerUID) ?? String(ownerUID),
                primaryGID: passwd.primaryGID(of: ownerUID) ?? ownerUID, checkedOnBehalf: true)
        }

        /// This process's user, named from the root's passwd.
        public static func current(root: String) -> User {
            let count = getgroups(0, nil)
            var gids = [gid_t](repeating: 0, count: Int(max(count, 0)))
            let filled = getgroups(count, &gids)
            let uid = Int(geteuid())
            return User(
                uid: uid, name: PasswdFile(root: root).userName(of: uid) ?? String(uid), primaryGID: Int(getegid()),
                sessionGIDs: filled >= 0 ? Set(gids.prefix(Int(filled)).map(Int.init)).union([Int(getegid())]) : nil,
                isThisProcess: true)
        }
    }

    public let root: String
    public let specDirectories: [String]
    /// The newest spec version the Podman in use reads (0.5.0 for 4.3.1); nil accepts any.
    public let newestSpecVersion: CDIVersion?
    public let user: User

    public init(
        root: String = "/", specDirectories: [String] = CDISpecDirectories.podmanDefaults,
        newestSpecVersion: CDIVersion? = nil, user: User? = nil
    ) {
        self.root = root
        self.specDirectories = specDirectories
        self.newestSpecVersion = newestSpecVersion
        self.user = user ?? User.current(root: root)
    }

    /// The user named in sentences and commands; nil when it is the one running podstack ("you").
    var checkedUser: String? { user.checkedOnBehalf ? user.name : nil }

    public func check(_ claims: [DeviceClaim]) -> [PreflightReport.DeviceRow] {
        let catalog = CDISpecDirectories(root: root, directories: specDirectories).read()
        let access = NodeAccess(root: root, user: user, groups: GroupFile(root: root))
        return claims.map { claim in
            let verdict =
                claim.isCDIName
                ? cdiVerdict(claim.device, catalog: catalog, access: access)
                : access.verdict(
                    path: claim.device, permissions: claim.permissions, missing: .missingNode(claim.device))
            return PreflightReport.DeviceRow(
                service: claim.service, pod: claim.pod, device: claim.device, verdict: verdict,
                waysOut: DeviceWayOuts.waysOut(device: claim.device, verdict: verdict, user: checkedUser),
                checkedUser: checkedUser)
        }
    }

    private func cdiVerdict(_ text: String, catalog: CDISpecCatalog, access: NodeAccess) -> DeviceVerdict {
        let name: CDIDeviceName
        switch CDIDeviceName.parse(text) {
        case .success(let parsed): name = parsed
        case .failure(let error): return .invalidName(error.description)
        }
        switch catalog.resolve(name, newestVersion: newestSpecVersion) {
        case .noSpec(let broken): return .noSpec(broken: broken)
        case .noSuchDevice(let files, let available, _): return .noSuchDevice(files: files, available: available)
        case .conflict(let files): return .conflictingSpecs(files: files)
        case .tooNew(let spec, let supported):
            return .specTooNew(file: spec.file, version: spec.version, supported: supported.description)
        case .found(let spec, let device):
            return foundVerdict(spec: spec, device: device, access: access)
        }
    }

    /// A resolvable device is only as good as the files it injects: every node and mounted file must exist
    /// (Podman stats each at start), and every node must open for the user.
    private func foundVerdict(spec: CDISpec, device: CDISpec.Device, access: NodeAccess) -> DeviceVerdict {
        let nodes = device.edits.deviceNodes + spec.commonEdits.deviceNodes
        let mounts = device.edits.mounts + spec.commonEdits.mounts
        let missing =
            nodes.map(\.hostSide).filter { DeviceNodeStatus.read($0, root: root) == nil }
            + mounts.map(\.hostPath).filter { RootedPath(root: root).resolve($0).map(HostFiles.exists) != true }
        if !missing.isEmpty { return .staleSpec(file: spec.file, missing: missing) }
        for node in nodes {
            let verdict = access.verdict(
                path: node.hostSide, permissions: node.permissions ?? "rwm",
                missing: .staleSpec(file: spec.file, missing: [node.hostSide]))
            if case .available = verdict { continue }
            return verdict
        }
        return .available(source: spec.file)
    }
}

/// Whether the user can open a node (or every node of a directory such as /dev/dri).
struct NodeAccess {
    let root: String
    let user: DeviceChecker.User
    let groups: GroupFile

    func verdict(path: String, permissions: String, missing: DeviceVerdict) -> DeviceVerdict {
        guard let status = DeviceNodeStatus.read(path, root: root) else { return missing }
        let nodes = status.type == .directory ? DeviceNodeStatus.children(of: path, root: root) : [status]
        if nodes.isEmpty { return .missingNode(path) }
        let access = String(permissions.filter { $0 == "r" || $0 == "w" })
        let gids = groups.supplementaryGIDs(of: user.name).union([user.primaryGID])
        // For the process's own user on the real root the kernel decides (access(2)), so that ACLs and the
        // session's actual groups count; elsewhere the mode bits and /etc/group do.
        let kernelDecides = user.isThisProcess && RootedPath(root: root).root.isEmpty
        let refused =
            kernelDecides
            ? nodes.first { !DeviceNodeStatus.openable($0.path, access: access) }
            : nodes.first { !$0.permits(uid: user.uid, gids: gids, access: access) }
        if let node = refused {
            let group = node.gid == 0 ? nil : groups.name(of: node.gid)
            // The kernel refusing a group /etc/group grants means the session predates the grant.
            let sessionLacksGroup = kernelDecides && group != nil && gids.contains(node.gid)
            return .notPermitted(node: node.path, group: group, sessionLacksGroup: sessionLacksGroup)
        }
        if !kernelDecides, let session = user.sessionGIDs,
            let node = nodes.first(where: { !$0.permits(uid: user.uid, gids: session, access: access) })
        {
            return .notPermitted(node: node.path, group: groups.name(of: node.gid), sessionLacksGroup: true)
        }
        // Inside a rootless container only the user's own uid and primary gid are mapped: a node that opens
        // only through a supplementary group (render, video) does not open there unless the runtime keeps
        // the groups (crun with keep-groups; runc cannot). Seen on the test bed, docs/gpus.md.
        let throughGroupOnly = nodes.first { node in
            node.permits(uid: user.uid, gids: gids, access: access)
                && !node.permits(uid: user.uid, gids: [user.primaryGID], access: access)
        }
        if let node = throughGroupOnly {
            return .onlyThroughGroup(node: node.path, group: groups.name(of: node.gid) ?? String(node.gid))
        }
        return .available(source: path)
    }
}
