import PodstackCompose

extension KubePodBuilder {
    /// A service's process settings in Kubernetes' words: securityContext entries, container entries
    /// (tty, stdin), and a note for each setting a Kubernetes container cannot carry.
    func processMapping(_ service: ServiceDefinition) -> (security: [YAMLEntry?], container: [YAMLEntry?], notes: [String]) {
        let process = service.process
        func flag(_ key: String, _ on: Bool, _ value: Bool = true) -> YAMLEntry? { on ? YAMLEntry(key, .bool(value)) : nil }
        func capabilityList(_ names: [String]) -> YAMLValue {
            .list(names.map { .string($0.hasPrefix("CAP_") ? String($0.dropFirst(4)) : $0) })
        }
        let capabilities: [YAMLEntry?] = [
            process.capAdd.isEmpty ? nil : YAMLEntry("add", capabilityList(process.capAdd)),
            process.capDrop.isEmpty ? nil : YAMLEntry("drop", capabilityList(process.capDrop)),
        ]
        let security: [YAMLEntry?] = [
            flag("privileged", process.privileged),
            flag("readOnlyRootFilesystem", process.readOnly),
            flag("allowPrivilegeEscalation", process.noNewPrivileges, false),
            capabilities.allSatisfy { $0 == nil } ? nil : YAMLEntry("capabilities", .mapping(capabilities)),
            process.seccompUnconfined
                ? YAMLEntry("seccompProfile", .mapping([YAMLEntry("type", .string("Unconfined"))])) : nil,
            process.apparmorProfile.map(Self.appArmorProfile),
        ]
        return (security, [flag("tty", process.tty), flag("stdin", process.stdinOpen)], notes(process))
    }

    private func notes(_ process: ProcessSettings) -> [String] {
        var notes: [String] = []
        if !process.tmpfs.isEmpty {
            notes.append(
                "tmpfs \(process.tmpfs.map(\.target).joined(separator: ", ")): add an emptyDir volume with "
                    + "medium: Memory mounted there.")
        }
        if process.initProcess { notes.append("init: Kubernetes runs no init process; the image must reap its children.") }
        if !process.ulimits.isEmpty {
            notes.append("ulimits \(process.ulimits.map(\.name).joined(separator: ", ")): Kubernetes sets no per-container rlimits.")
        }
        if !process.groupAdd.isEmpty {
            notes.append("group_add \(process.groupAdd.joined(separator: ", ")): set the numeric ids as the pod's supplementalGroups.")
        }
        if let shm = process.shmSizeBytes {
            notes.append("shm_size \(shm) bytes: mount an emptyDir with medium: Memory and sizeLimit at /dev/shm.")
        }
        if !process.sysctls.isEmpty {
            notes.append("sysctls \(process.sysctls.keys.sorted().joined(separator: ", ")): set them in the pod's securityContext.sysctls.")
        }
        if !process.selinuxOptions.isEmpty {
            notes.append("security_opt label=\(process.selinuxOptions.joined(separator: ",")): set seLinuxOptions to match.")
        }
        if let profile = process.seccompProfile {
            notes.append(
                "security_opt seccomp=\(profile): copy it under the kubelet's seccomp directory and set "
                    + "seccompProfile type Localhost with its relative path.")
        }
        return notes
    }

    /// `securityContext.appArmorProfile` (Kubernetes 1.30): Unconfined, or a profile loaded on the node.
    static func appArmorProfile(_ profile: String) -> YAMLEntry {
        guard profile != "unconfined" else {
            return YAMLEntry("appArmorProfile", .mapping([YAMLEntry("type", .string("Unconfined"))]))
        }
        return YAMLEntry(
            "appArmorProfile",
            .mapping([YAMLEntry("type", .string("Localhost")), YAMLEntry("localhostProfile", .string(profile))]))
    }
}
