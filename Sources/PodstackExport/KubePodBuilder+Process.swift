import PodstackCompose

extension KubePodBuilder {
    /// What one process setting becomes in Kubernetes' words.
    private enum ProcessPart {
        case security(YAMLEntry)
        case capability(YAMLEntry)
        case container(YAMLEntry)
        /// What a Kubernetes container cannot carry, and what to do instead.
        case note(String)
    }

    /// A service's process settings in Kubernetes' words: securityContext entries, container entries
    /// (tty, stdin), and a note for each setting a Kubernetes container cannot carry.
    func processMapping(
        _ service: ServiceDefinition
    ) -> (security: [YAMLEntry?], container: [YAMLEntry?], notes: [String]) {
        var security: [YAMLEntry?] = []
        var capabilities: [YAMLEntry?] = []
        var container: [YAMLEntry?] = []
        var notes: [String] = []
        for key in ProcessSettings.Key.allCases {
            switch Self.part(key, of: service.process) {
            case .security(let entry): security.append(entry)
            case .capability(let entry): capabilities.append(entry)
            case .container(let entry): container.append(entry)
            case .note(let note): notes.append(note)
            case nil: break
            }
        }
        if !capabilities.isEmpty { security.append(YAMLEntry("capabilities", .mapping(capabilities))) }
        return (security, container, notes)
    }

    /// Every key of `ProcessSettings`, without `default:`: a new key does not build until it is decided
    /// here. Nil when the service leaves the key at Podman's default.
    private static func part(_ key: ProcessSettings.Key, of process: ProcessSettings) -> ProcessPart? {
        func flag(_ name: String, _ on: Bool, _ value: Bool = true) -> YAMLEntry? {
            on ? YAMLEntry(name, .bool(value)) : nil
        }
        func capabilities(_ name: String, _ names: [String]) -> ProcessPart? {
            names.isEmpty
                ? nil
                : .capability(
                    YAMLEntry(name, .list(names.map { .string($0.hasPrefix("CAP_") ? String($0.dropFirst(4)) : $0) })))
        }
        func note(_ applies: Bool, _ text: @autoclosure () -> String) -> ProcessPart? { applies ? .note(text()) : nil }
        switch key {
        case .tmpfs:
            return note(
                !process.tmpfs.isEmpty,
                "tmpfs \(process.tmpfs.map(\.target).joined(separator: ", ")): add an emptyDir volume with "
                    + "medium: Memory mounted there.")
        case .tty: return flag("tty", process.tty).map(ProcessPart.container)
        case .stdinOpen: return flag("stdin", process.stdinOpen).map(ProcessPart.container)
        case .initProcess:
            return note(process.initProcess, "init: Kubernetes runs no init process; the image must reap its children.")
        case .capAdd: return capabilities("add", process.capAdd)
        case .capDrop: return capabilities("drop", process.capDrop)
        case .selinuxOptions:
            return note(
                !process.selinuxOptions.isEmpty,
                "security_opt label=\(process.selinuxOptions.joined(separator: ",")): set seLinuxOptions to match.")
        case .noNewPrivileges:
            return flag("allowPrivilegeEscalation", process.noNewPrivileges, false).map(ProcessPart.security)
        case .seccompUnconfined:
            return process.seccompUnconfined
                ? .security(YAMLEntry("seccompProfile", .mapping([YAMLEntry("type", .string("Unconfined"))]))) : nil
        case .seccompProfile:
            return process.seccompProfile.map { profile in
                .note(
                    "security_opt seccomp=\(profile): copy it under the kubelet's seccomp directory and set "
                        + "seccompProfile type Localhost with its relative path.")
            }
        case .apparmorProfile: return process.apparmorProfile.map { .security(Self.appArmorProfile($0)) }
        case .ulimits:
            return note(
                !process.ulimits.isEmpty,
                "ulimits \(process.ulimits.map(\.name).joined(separator: ", ")): Kubernetes sets no per-container rlimits."
            )
        case .privileged: return flag("privileged", process.privileged).map(ProcessPart.security)
        case .readOnly: return flag("readOnlyRootFilesystem", process.readOnly).map(ProcessPart.security)
        case .groupAdd:
            return note(
                !process.groupAdd.isEmpty,
                "group_add \(process.groupAdd.joined(separator: ", ")): set the numeric ids as the pod's supplementalGroups."
            )
        case .shmSizeBytes:
            return process.shmSizeBytes.map {
                .note("shm_size \($0) bytes: mount an emptyDir with medium: Memory and sizeLimit at /dev/shm.")
            }
        case .sysctls:
            return note(
                !process.sysctls.isEmpty,
                "sysctls \(process.sysctls.keys.sorted().joined(separator: ", ")): set them in the pod's securityContext.sysctls."
            )
        }
    }
}

extension KubePodBuilder {
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
