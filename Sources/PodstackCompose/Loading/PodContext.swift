/// What a service needs to know about the pod it is in: its name, HOME, and the volumes and secrets the
/// files declare.
struct PodContext {
    var podName: String
    var home: String?
    var volumes: [String: VolumeDefinition]
    var secrets: [String: SecretDefinition]
}
