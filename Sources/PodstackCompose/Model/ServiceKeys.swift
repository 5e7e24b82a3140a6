/// The service model's fields, one case each, so that a field added to the model is a compile error in every
/// place that must decide what to do with it.
///
/// Each consumer of the model (the container spec builder in PodstackCore, the Kubernetes mapping in
/// PodstackExport) walks `allCases` through a `switch` without `default:`. A new case does not build until
/// each of them handles it: the spec builder by setting the create spec (or saying why the key shapes no
/// container), the kube mapping by writing YAML or a note that says why Kubernetes cannot express it.
/// `ServiceKeyTests` fails when the struct gains a stored property that its enum does not list, which closes
/// the loop: model field -> enum case -> every switch. The fingerprint takes new fields on its own
/// (ContainerFingerprint). docs/adding-a-compose-key.md walks through it.
extension ServiceDefinition {
    /// The stored properties of `ServiceDefinition`, by name.
    public enum Key: String, Sendable, CaseIterable {
        case name, podName, containerName, image, imageVariable, command, entrypoint, environment, ports, mounts
        case dependsOn, healthcheck, healthcheckDisabled, restart, labels, user, workingDir, stopSignal
        case stopGracePeriodSeconds, secrets, profiles, addressing, process, devices, build, location
        case annotations, configs, namespaces, resources, logging, usernsMode, pullPolicy
    }
}

extension ProcessSettings {
    /// The stored properties of `ProcessSettings`, by name: the keys of how the process runs.
    public enum Key: String, Sendable, CaseIterable {
        case tmpfs, tty, stdinOpen, initProcess, capAdd, capDrop, selinuxOptions, noNewPrivileges
        case seccompUnconfined, seccompProfile, apparmorProfile, ulimits, privileged, readOnly, groupAdd, shmSizeBytes
        case sysctls
    }
}

extension ServiceAddressing {
    /// The stored properties of `ServiceAddressing`, by name: per-service settings the pod gathers.
    public enum Key: String, Sendable, CaseIterable {
        case hostname, aliases, extraHosts, networkMode, dnsServers, dnsSearch, dnsOptions, networkAttachments
    }
}
