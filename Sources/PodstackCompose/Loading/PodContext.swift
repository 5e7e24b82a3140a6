/// What a service needs to know about the pod it is in: its name, HOME, and the volumes, secrets and
/// configs the files declare.
struct PodContext {
    var podName: String
    var home: String?
    var volumes: [String: VolumeDefinition]
    var secrets: [String: SecretDefinition]
    /// The top-level configs, by key; nil for one declared but refused.
    var configs: [String: ConfigSource?] = [:]
    /// `PODSTACK_DATA_DIR`, under which podstack writes the configs it makes; nil when unset.
    var dataDirectory: String?
}
