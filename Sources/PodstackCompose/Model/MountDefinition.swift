/// A mount into a service's container.
public enum MountDefinition: Sendable, Codable, Hashable {
    /// How Podman relabels a bind-mounted directory for SELinux: `z` shares the label between containers,
    /// `Z` makes it private to this one. Without either, an enforcing host denies the container access.
    public enum SELinuxRelabel: String, Sendable, Codable, Hashable {
        case shared = "z"
        case `private` = "Z"
    }

    /// A host directory or file; `source` is always absolute (relative paths resolve against the compose
    /// file's directory, `~` against HOME).
    case bind(source: String, target: String, readOnly: Bool, selinux: SELinuxRelabel?)
    /// A named volume; `name` is the name Podman sees (see `VolumeDefinition.name`).
    case volume(name: String, target: String, readOnly: Bool)

    public var target: String {
        switch self {
        case .bind(_, let target, _, _), .volume(_, let target, _): target
        }
    }

    public var readOnly: Bool {
        switch self {
        case .bind(_, _, let readOnly, _), .volume(_, _, let readOnly): readOnly
        }
    }
}
