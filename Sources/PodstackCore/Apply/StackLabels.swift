import Foundation
import PodstackCompose

/// The labels that tie Podman objects to the stack. Everything podstack creates carries
/// `io.podstack.stack=<pod>`; containers also carry their service and a hash of their definition, which is
/// how a later `up` tells "unchanged" from "changed" without keeping any state of its own.
public enum StackLabels {
    public static let stack = "io.podstack.stack"
    public static let service = "io.podstack.service"
    public static let configHash = "io.podstack.config-hash"
    /// On a container whose service has compose profiles: them, comma-separated. A later `up` without
    /// those profiles leaves such a container alone instead of taking it for an orphan, as compose does.
    public static let profiles = "io.podstack.profiles"
    /// On the pod: a hash of its published ports, which can only be set when a pod is created.
    public static let portsHash = "io.podstack.ports-hash"
    /// On the pod: a hash of its published ports alone, so that a pod made anew can be said to be so for
    /// its ports or for its other settings (`portsHash` holds both). Pods made before it have none.
    public static let publishedPortsHash = "io.podstack.published-ports-hash"

    public static func selector(pod: String) -> String { "\(stack)=\(pod)" }
}

/// A short, stable digest (FNV-1a, 64 bits) of canonical JSON. It detects change; it is not a security
/// measure, and no secret value is ever part of what it hashes (secrets are referenced by name).
enum ConfigDigest {
    /// Marks a config hash of a container's fingerprint; a label without it is a legacy digest of the
    /// whole service model (`LegacyConfigDigest`).
    static let fingerprintPrefix = "v2-"

    static func canonicalJSON<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    static func of<T: Encodable>(_ value: T) -> String {
        let data = (try? canonicalJSON(value)) ?? Data()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// The config-hash label a container made now for this service carries.
    static func service(_ service: ServiceDefinition) -> String {
        fingerprintPrefix + of(ContainerFingerprint(service))
    }

    /// Whether a container with this config-hash label was made from this definition: by this release, or
    /// (a label without the prefix) by a release that hashed the whole model.
    static func matches(_ label: String?, _ service: ServiceDefinition) -> Bool {
        guard let label else { return false }
        if label.hasPrefix(fingerprintPrefix) { return label == Self.service(service) }
        return LegacyConfigDigest.recognises(label, for: service)
    }

    /// What the pod is made from: its ports and, only when the file sets any, its network settings
    /// (hostname, aliases, hosts, DNS) and its shm size, so that a pod using none of them keeps its hash. The service-name
    /// hosts entries are left out for the same reason: a service added later resolves by name once the
    /// pod is made anew.
    static func ports(_ pod: PodDefinition) -> String {
        var parts = portParts(pod)
        let network = pod.network
        if network.hasExplicitSettings {
            parts.append("hostname|" + (network.hostname ?? ""))
            parts += network.hostnamePerService.map { "hostname|\($0.key)=\($0.value)" }
            if let mode = network.mode { parts.append("network_mode|\(mode)") }
            parts += network.aliases.map { "alias|\($0)" } + network.extraHosts.map { "host|\($0.podmanForm)" }
            parts += network.dnsServers.map { "dns|\($0)" } + network.dnsSearch.map { "dns_search|\($0)" }
            parts += network.dnsOptions.map { "dns_opt|\($0)" }
        }
        if pod.servicesHaveOwnNetworks { parts += ownNetworkParts(pod) }
        if let shm = pod.shmSizeBytes { parts.append("shm|\(shm)") }
        if let userns = pod.usernsMode { parts.append("userns|\(userns)") }
        return of(parts.sorted())
    }

    /// A pod whose services have network namespaces of their own: its networks, and each service's
    /// addressing, which then shapes its own container (any change makes the pod and its containers anew).
    private static func ownNetworkParts(_ pod: PodDefinition) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) -> String {
            (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return pod.networks.map { "network|\(json($0))" }
            + pod.services.map { "addressing|\($0.name)|\(json($0.addressing))" }
    }

    /// The published ports alone (`StackLabels.publishedPortsHash`).
    static func publishedPorts(_ pod: PodDefinition) -> String { of(portParts(pod).sorted()) }

    private static func portParts(_ pod: PodDefinition) -> [String] {
        pod.portMappings.map { "\($0.hostIP)|\($0.hostPort)|\($0.containerPort)|\($0.protocol.rawValue)" }
    }
}
