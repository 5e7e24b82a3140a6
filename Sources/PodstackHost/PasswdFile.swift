/// `/etc/passwd` under a root (`name:password:uid:gid:gecos:home:shell`): uid to user name for preflight's
/// holders, user name (or uid) to home directory for migrate's default data paths, uid to primary group for
/// the device check made as a service's user. Where a name or a uid
/// stands on several lines the first wins, as it does for getpwnam(3) and getpwuid(3).
public struct PasswdFile: Sendable {
    private var namesByUID: [Int: String] = [:]
    private var homesByUser: [String: String] = [:]
    private var primaryGIDsByUID: [Int: Int] = [:]

    public init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let name = String(fields[0])
            let uid = Int(fields[2])
            if let uid, namesByUID[uid] == nil { namesByUID[uid] = name }
            if let uid, fields.count >= 4, let gid = Int(fields[3]), primaryGIDsByUID[uid] == nil {
                primaryGIDsByUID[uid] = gid
            }
            guard fields.count >= 6 else { continue }
            let home = String(fields[5])
            if homesByUser[name] == nil { homesByUser[name] = home }
            if let uid, homesByUser[String(uid)] == nil { homesByUser[String(uid)] = home }
        }
    }

    /// The file as the root has it (links followed inside the root); empty when it cannot be read.
    public init(root: String) {
        let path = RootedPath(root: root).resolve("/etc/passwd")
        self.init(text: path.flatMap(HostFiles.readText) ?? "")
    }

    /// The first name given to `uid`.
    public func userName(of uid: Int) -> String? { namesByUID[uid] }

    /// The primary group of the first line that gives `uid`.
    public func primaryGID(of uid: Int) -> Int? { primaryGIDsByUID[uid] }

    /// Every uid with its first name.
    public var userNames: [Int: String] { namesByUID }

    /// The home directory of a user named by name or by decimal uid.
    public func home(of user: String) -> String? { homesByUser[user] }
}
