import PodstackCompose

extension KubePodBuilder {
    /// A service's process settings in Kubernetes' words: securityContext entries, container entries
    /// (tty, stdin), and a note for each setting a Kubernetes container cannot carry. Every key of
    /// `ProcessSettings` is decided here, without `default:`.
    func processMapping(
        _ service: ServiceDefinition
    ) -> (security: [YAMLEntry?], container: [YAMLEntry?], notes: [String]) {
        let process = service.process
        func flag(_ key: String, _ on: Bool, _ value: Bool = true) -> YAMLEntry? {
            on ? YAMLEntry(key, .bool(value)) : nil
        }
        func capabilityList(_ names: [String]) -> YAMLValue {
            .list(names.map { .string($0.hasPrefix("CAP_") ? String($0.dropFirst(4)) : $0) })
        }
        var security: [YAMLEntry?] = []
        var capabilities: [YAMLEntry?] = []
        var container: [YAMLEntry?] = []
        var notes: [String] = []
        for key in ProcessSettings.Key.allCases {
            switch key {
            case .tmpfs:
                if !process.tmpfs.isEmpty {
                    notes.append(
                        "tmpfs \(process.tmpfs.map(\.target).joined(separator: ", ")): add an emptyDir volume with "
                            + "medium: Memory mounted there.")
                }
            case .tty: container.append(flag("tty", process.tty))
            case .stdinOpen: container.append(flag("stdin", process.stdinOpen))
            case .initProcess:
                if process.initProcess {
                    notes.append("init: Kubernetes runs no init process; the image must reap its children.")
                }
            case .capAdd:
                capabilities.append(process.capAdd.isEmpty ? nil : YAMLEntry("add", capabilityList(process.capAdd)))
            case .capDrop:
                capabilities.append(process.capDrop.isEmpty ? nil : YAMLEntry("drop", capabilityList(process.capDrop)))
            case .selinuxOptions:
                if !process.selinuxOptions.isEmpty {
                    notes.append(
                        "security_opt label=\(process.selinuxOptions.joined(separator: ",")): set seLinuxOptions to match."
                    )
                }
            case .noNewPrivileges: security.append(flag("allowPrivilegeEscalation", process.noNewPrivileges, false))
            case .seccompUnconfined:
                security.append(
                    process.seccompUnconfined
                        ? YAMLEntry("seccompProfile", .mapping([YAMLEntry("type", .string("Unconfined"))])) : nil)
            case .ulimits:
                if !process.ulimits.isEmpty {
                    notes.append(
                        "ulimits \(process.ulimits.map(\.name).joined(separator: ", ")): Kubernetes sets no per-container rlimits."
                    )
                }
            case .privileged: security.append(flag("privileged", process.privileged))
            case .readOnly: security.append(flag("readOnlyRootFilesystem", process.readOnly))
            case .groupAdd:
                if !process.groupAdd.isEmpty {
                    notes.append(
                        "group_add \(process.groupAdd.joined(separator: ", ")): set the numeric ids as the pod's supplementalGroups."
                    )
                }
            case .shmSizeBytes:
                if let shm = process.shmSizeBytes {
                    notes.append(
                        "shm_size \(shm) bytes: mount an emptyDir with medium: Memory and sizeLimit at /dev/shm.")
                }
            case .sysctls:
                if !process.sysctls.isEmpty {
                    notes.append(
                        "sysctls \(process.sysctls.keys.sorted().joined(separator: ", ")): set them in the pod's securityContext.sysctls."
                    )
                }
            }
        }
        if capabilities.contains(where: { $0 != nil }) {
            security.append(YAMLEntry("capabilities", .mapping(capabilities)))
        }
        return (security, container, notes)
    }
}
