import PodmanAPI
import PodstackCompose
import PodstackPreflight

/// Device nodes that open only through a supplementary group (render, video): a rootless container keeps
/// such groups only when its OCI runtime is crun and Podman asks it to (`keep-groups`, the annotation
/// `run.oci.keep_original_groups=1`). runc ignores the annotation: on both test beds (runc) the node was
/// `Permission denied` inside the container with and without it (DeviceAccessIntegrationTests).
extension StackRunner {
    /// The runtimes that honour keep-groups (podman-run(1): "only available with the crun OCI runtime").
    static let runtimesKeepingGroups: Set<String> = ["crun"]

    /// What `up` does about the `needs-keep-groups` rows: the services to give keep-groups, and a warning for
    /// each row the runtime cannot serve.
    struct KeepGroupsDecision: Equatable {
        var services: Set<ServiceKey> = []
        var warnings: [String] = []
    }

    struct ServiceKey: Hashable {
        var pod: String
        var service: String
    }

    static func keepGroups(for rows: [PreflightReport.DeviceRow], runtime: String?) -> KeepGroupsDecision {
        var decision = KeepGroupsDecision()
        for row in rows {
            guard case .onlyThroughGroup = row.verdict else { continue }
            if let runtime, runtimesKeepingGroups.contains(runtime) {
                decision.services.insert(ServiceKey(pod: row.pod, service: row.service))
                continue
            }
            // The runtime is known here, so the way out that asks for it is left out, and the rest are
            // alternatives to it no longer ("Or run containers with crun" reads "Run containers with crun").
            let ways = row.waysOut.filter { $0.action != .inspect }.map { way in
                let sentence = way.sentence.hasPrefix("Or ") ? way.sentence.dropFirst(3) : Substring(way.sentence)
                return sentence.prefix(1).uppercased() + sentence.dropFirst() + (way.command.map { " " + $0 } ?? "")
            }
            decision.warnings.append(
                (row.problemSentence ?? row.device) + " Podman's runtime is \(runtime ?? "unknown"), so the service "
                    + "starts but cannot open it. " + ways.joined(separator: " "))
        }
        return decision
    }

    /// The pods with `keep-groups` added to each service whose nodes need it, when the runtime keeps groups;
    /// warnings otherwise. Podman's runtime is asked (`GET /info`, 0.2 to 0.4 s) only when a row needs it.
    func keepingGroups(_ pods: [PodDefinition], report: PreflightReport) async throws -> [PodDefinition] {
        guard report.devices.contains(where: { if case .onlyThroughGroup = $0.verdict { true } else { false } })
        else { return pods }
        let runtime: String?
        do {
            runtime = try await client.info().host.ociRuntime?.name
        } catch {
            try PodstackError.rethrow(error, during: "asking Podman for its OCI runtime")
        }
        let decision = Self.keepGroups(for: report.devices, runtime: runtime)
        for warning in decision.warnings { events(.warning(warning)) }
        return pods.map { pod in
            var pod = pod
            for index in pod.services.indices
            where decision.services.contains(ServiceKey(pod: pod.name, service: pod.services[index].name))
                && !pod.services[index].process.groupAdd.contains(ContainerSpecBuilder.keepGroups)
            {
                pod.services[index].process.groupAdd.append(ContainerSpecBuilder.keepGroups)
                events(
                    .step(
                        "\(pod.services[index].name): keep-groups (runtime \(runtime ?? "")), so its device nodes open")
                )
            }
            return pod
        }
    }

    /// Whether a container's fingerprint is the service's, as the file has it or as `up` makes it when it
    /// adds keep-groups for the service's device nodes (decided at `up`, by the runtime, not by the file).
    static func madeFrom(_ label: String?, _ service: ServiceDefinition) -> Bool {
        if ConfigDigest.matches(label, service) { return true }
        guard !service.devices.isEmpty, !service.process.groupAdd.contains(ContainerSpecBuilder.keepGroups) else {
            return false
        }
        var kept = service
        kept.process.groupAdd.append(ContainerSpecBuilder.keepGroups)
        return ConfigDigest.matches(label, kept)
    }
}
