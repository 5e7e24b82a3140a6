/// A top-level `configs:` entry: where its text comes from.
public enum ConfigSource: Sendable, Codable, Hashable {
    /// `file:`, an absolute host path.
    case file(path: String)
    /// `content:` (interpolated) or the value of `environment:`'s variable, read when the file was loaded.
    case text(String)
    /// `external: true`: the Podman secret of this name (the config's `name:`, else its key), made
    /// beforehand with `podman secret create`, mounted as the config's file.
    case existingSecret(name: String)
}

/// A service's use of a config (`configs:` of a service): a file mounted read-only at `target`. The mount
/// itself is also in the service's `mounts`, as a read-only bind of `hostPath`.
public struct ConfigMount: Sendable, Codable, Hashable {
    /// The key of the top-level config.
    public var source: String
    /// Where the file appears in the container: `/<source>` unless given.
    public var target: String
    /// The host file that is mounted: a `file:` config as it is, or the file podstack writes for this
    /// service under `${PODSTACK_DATA_DIR}/configs/<pod>/<service>/`.
    public var hostPath: String
    /// What `up` writes to `hostPath` before the container is created, and with which mode; nil when
    /// `hostPath` is the user's own file.
    public var written: WrittenFile?

    public init(source: String, target: String, hostPath: String, written: WrittenFile? = nil) {
        self.source = source
        self.target = target
        self.hostPath = hostPath
        self.written = written
    }
}

/// A file podstack writes for a service (a config's text), whole or not at all.
public struct WrittenFile: Sendable, Codable, Hashable {
    public var text: String
    /// The permission bits, 0644 unless the service asks for another mode.
    public var mode: Int

    public init(text: String, mode: Int = 0o644) {
        self.text = text
        self.mode = mode
    }
}
