/// The compose keys podstack reads, and the ones it knowingly refuses, each with the reason and what to do
/// instead. Anything in neither list is reported as unknown, usually a typo.
enum ComposeKeys {
    static let topLevel: Set<String> = ["name", "services", "volumes", "secrets", "configs", "version", "networks"]

    static let unsupportedTopLevel: [String: String] = [
        "models": "run the model server (ollama) as a service instead"
    ]

    static let service: Set<String> = Set([
        "image", "command", "entrypoint", "environment", "env_file", "ports", "volumes", "depends_on",
        "healthcheck", "restart", "labels", "user", "working_dir", "stop_signal", "stop_grace_period",
        "secrets", "configs", "profiles", "expose", "deploy", "scale", "devices", "gpus", "build", "annotations",
        "pull_policy",
    ]).union(addressing).union(process).union(namespaces).union(runtime)

    /// The namespace keys (NodeReader+Namespaces).
    static let namespaces: Set<String> = ["pid", "ipc", "uts"]

    /// The keys of limits (NodeReader+Resources), `logging` (NodeReader+Logging) and `userns_mode`
    /// (NodeReader+UserNamespace).
    static let runtime: Set<String> = [
        "mem_limit", "memswap_limit", "mem_reservation", "cpus", "cpu_shares", "cpuset", "pids_limit", "logging",
        "userns_mode",
    ]

    /// The keys of naming and addressing (NodeReader+Addressing).
    static let addressing: Set<String> = [
        "container_name", "hostname", "networks", "network_mode", "links", "extra_hosts", "dns", "dns_search",
        "dns_opt",
    ]

    /// The keys of how the process runs (NodeReader+Process).
    static let process: Set<String> = [
        "tmpfs", "tty", "stdin_open", "init", "cap_add", "cap_drop", "security_opt", "ulimits", "platform",
        "privileged", "read_only", "group_add", "shm_size", "sysctls",
    ]

    private static let swarmOnly = "a key of Swarm's scheduling; podstack runs one container per service; remove it"

    static let unsupportedDeploy: [String: String] = [
        "labels": "labels of a Swarm service; put them under the service's labels: instead",
        "placement": swarmOnly, "update_config": swarmOnly, "rollback_config": swarmOnly,
        "endpoint_mode": swarmOnly,
    ]

    private static let notPassed = "podstack does not pass this to Podman's networks yet; remove it"

    static let unsupportedServiceNetwork: [String: String] = [
        "ipv6_address": "podstack makes IPv4 networks only; remove it", "link_local_ips": notPassed,
        "mac_address": notPassed, "priority": notPassed, "gw_priority": notPassed,
        "driver_opts": notPassed, "interface_name": notPassed,
    ]

    static let unsupportedTopLevelNetwork: [String: String] = [
        "driver_opts": notPassed, "attachable": "a Swarm setting; remove it",
        "enable_ipv6": "podstack makes IPv4 networks only; remove it", "enable_ipv4": notPassed,
    ]

    private static let sharedNetwork =
        "the services of a pod share one network namespace; reach another service at its name or at 127.0.0.1:<port>"

    static let unsupportedService: [String: String] = [
        "external_links": sharedNetwork,
        // Measured on Podman 4.3.1 and 5.4.2: a create spec's `domainname` is dropped without a word (inspect's
        // Config.Domainname stays empty, /proc/sys/kernel/domainname reads "(none)"); the CLI has no flag for it.
        "domainname":
            "Podman cannot set a container's domain name (its create API drops domainname); "
            + "write the domain into hostname (web.example.test) or dns_search instead",
        "develop": "podstack has no watch mode; remove it",
        "secrets_file": "declare secrets under the top-level secrets: key",
    ].merging(notPassedYet.map { ($0, notPassedYetReason) }) { written, _ in written }

    private static let notPassedYetReason =
        "podstack does not set this on the container yet, and would rather refuse the file than run it without; "
        + "remove it to run the rest"

    /// Compose-spec service keys whose meaning is a setting of the container that podstack's container spec
    /// does not carry yet. Each is refused by name with that reason, never taken for a typo.
    static let notPassedYet: Set<String> = [
        "mem_swappiness", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_runtime", "cpu_rt_period",
        "blkio_config", "oom_kill_disable", "oom_score_adj", "cgroup", "cgroup_parent",
        "device_cgroup_rules", "volumes_from", "storage_opt", "runtime", "isolation", "mac_address",
        "label_file", "attach", "credential_spec", "use_api_socket", "post_start",
        "pre_stop", "provider", "models",
    ]

    /// The keys of `build:` podstack passes to Podman's build (NodeReader+Build). `platforms` is read only to
    /// refuse a platform other than the host's.
    static let build: Set<String> = [
        "context", "dockerfile", "dockerfile_inline", "args", "target", "labels", "no_cache", "pull", "tags",
        "platforms", "network", "extra_hosts", "secrets", "shm_size", "cache_from", "cache_to",
    ]

    private static let notPassedToBuild =
        "podstack does not pass this to Podman's build yet; remove it, or build the image with podman build "
        + "and set image: to it"

    static let unsupportedBuild: [String: String] = [
        "ssh": "Podman's build endpoint has no way to forward an SSH agent or key (4.3 and 5.4 take no ssh "
            + "parameter); fetch what the build needs into the context",
        "additional_contexts": notPassedToBuild, "isolation": notPassedToBuild, "privileged": notPassedToBuild,
        "ulimits": notPassedToBuild, "entitlements": notPassedToBuild, "provenance": notPassedToBuild,
        "sbom": notPassedToBuild,
    ]

    static let unsupportedHealthcheck: [String: String] = [:]

    static let unsupportedTopLevelVolume: [String: String] = [:]

    static let port: Set<String> = ["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"]
    static let volumeMount: Set<String> = ["type", "source", "target", "read_only", "bind", "volume"]
    static let bindOptions: Set<String> = ["selinux", "create_host_path", "propagation"]
    static let volumeOptions: Set<String> = ["nocopy"]
    static let healthcheck: Set<String> = [
        "test", "interval", "timeout", "retries", "start_period", "start_interval", "disable",
    ]
    static let dependency: Set<String> = ["condition", "required", "restart"]
    static let secretReference: Set<String> = ["source", "target", "uid", "gid", "mode"]
    static let configReference: Set<String> = ["source", "target", "uid", "gid", "mode"]
    static let topLevelConfig: Set<String> = ["file", "content", "environment", "external", "name"]
    static let envFile: Set<String> = ["path", "required", "format"]
    static let topLevelVolume: Set<String> = ["name", "labels", "external", "driver", "driver_opts"]
    static let topLevelSecret: Set<String> = ["file", "environment", "name", "x-podstack-generate"]

    /// Extension keys (`x-...`) are the compose spec's place for anything of one's own; they are skipped
    /// everywhere except where podstack defines one.
    static func isExtension(_ key: String) -> Bool { key.hasPrefix("x-") }
}
