/// `/etc/group` under a root (`name:password:gid:member,member`): which groups a user belongs to, for
/// deciding whether they can open a device node such as /dev/dri/renderD128 (group render) or /dev/kfd.
public struct GroupFile: Sendable {
    public struct Group: Sendable, Hashable {
        public var name: String
        public var gid: Int
        public var members: [String]
    }

    public private(set) var groups: [Group] = []

    public init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 3, let gid = Int(fields[2]) else { continue }
            let members = fields.count > 3 ? fields[3].split(separator: ",").map(String.init) : []
            groups.append(Group(name: String(fields[0]), gid: gid, members: members))
        }
    }

    /// The file as the root has it; empty when it cannot be read.
    public init(root: String) {
        self.init(text: RootedPath(root: root).resolve("/etc/group").flatMap(HostFiles.readText) ?? "")
    }

    /// The gids of the groups that list `user` as a member (supplementary groups, as initgroups(3) sets them).
    public func supplementaryGIDs(of user: String) -> Set<Int> {
        Set(groups.filter { $0.members.contains(user) }.map(\.gid))
    }

    /// The first name of `gid`, as getgrgid(3) gives it.
    public func name(of gid: Int) -> String? { groups.first { $0.gid == gid }?.name }
}
