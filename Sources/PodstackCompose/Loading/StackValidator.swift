/// The checks that need more than one service at a time: dependencies, cycles, and ports and names that
/// must be unique across the whole stack (both pods share the host's ports).
enum StackValidator {
    static func validate(_ parsed: [ParsedPod]) -> (pods: [PodDefinition], issues: [StackIssue]) {
        var issues: [StackIssue] = []
        var seenPods: [String: SourceLocation] = [:]
        for pod in parsed where !pod.definition.name.isEmpty {
            if let first = seenPods[pod.definition.name] {
                issues.append(
                    StackIssue(
                        location: pod.nameLocation,
                        message: "pod name '\(pod.definition.name)' is already used by \(first)",
                        hint: "give each file its own name:"))
            } else {
                seenPods[pod.definition.name] = pod.nameLocation
            }
        }
        var pods: [PodDefinition] = []
        for pod in parsed {
            var definition = pod.definition
            definition.services = definition.services.map {
                checkDependencies(of: $0, in: pod, others: parsed, issues: &issues)
            }
            do {
                _ = try DependencyGraph(pod: definition)
            } catch {
                issues += error.issues
            }
            pods.append(definition)
        }
        issues += hostPortConflicts(in: pods)
        issues += containerNameClashes(in: pods, parsed: parsed)
        issues += sharedSecretsDisagree(in: parsed)
        return (pods, issues)
    }

    /// Keeps dependencies on services of the pod; reports the others, unless `required: false`, in which
    /// case they are dropped (compose's meaning: go ahead without it).
    private static func checkDependencies(
        of service: ServiceDefinition, in pod: ParsedPod, others: [ParsedPod], issues: inout [StackIssue]
    ) -> ServiceDefinition {
        var service = service
        let names = Set(pod.definition.services.map(\.name))
        service.dependsOn = service.dependsOn.filter { dependency in
            if names.contains(dependency.service) { return true }
            guard dependency.required else { return false }
            let location =
                pod.dependencyLocations[DependencyKey(service: service.name, dependency: dependency.service)]
                ?? service.location
            if pod.servicesOutsideProfiles.contains(dependency.service) {
                issues.append(
                    StackIssue(
                        location: location,
                        message:
                            "service '\(service.name)' depends on '\(dependency.service)', which no active profile includes",
                        hint: "activate one of its profiles, or mark the dependency required: false"))
            } else {
                let elsewhere = others.first { $0.definition.service(named: dependency.service) != nil }
                // Pods start independently: nothing orders one pod's service after another pod's.
                let hint =
                    elsewhere.map {
                        "'\(dependency.service)' is in pod '\($0.definition.name)'"
                            + ($0.definition.sourceFile == pod.definition.sourceFile
                                ? " (the file puts them on networks with none in common, so they are two pods)" : "")
                            + "; a service can depend only on services of its own pod"
                    }
                    ?? closestName(to: dependency.service, in: names.subtracting([service.name])).map {
                        "did you mean '\($0)'?"
                    }
                issues.append(
                    StackIssue(
                        location: location,
                        message: "service '\(service.name)' depends on "
                            + (elsewhere == nil ? "unknown service " : "service ")
                            + "'\(dependency.service.prefix(60))'"
                            + (elsewhere == nil ? "" : " of another pod, which starts on its own"),
                        hint: hint))
            }
            return false
        }
        return service
    }

    private static func closestName(to name: String, in names: Set<String>) -> String? {
        // Short names are all close to each other; only suggest when the typo is small relative to the name.
        let allowed = max(1, name.count / 3)
        return names.sorted().first { $0.count > 2 && $0.editDistance(to: name) <= allowed }
    }

    private static func hostPortConflicts(in pods: [PodDefinition]) -> [StackIssue] {
        // Keyed by port and protocol, since a range can publish thousands of ports.
        var published: [String: [(port: PortMapping, service: ServiceDefinition)]] = [:]
        var issues: [StackIssue] = []
        for pod in pods {
            for service in pod.services {
                for port in service.ports where !port.hostPortIsPicked {
                    let key = "\(port.hostPort)/\(port.protocol.rawValue)"
                    if let first = published[key]?.first(where: { $0.port.conflicts(with: port) }) {
                        let hint =
                            port.hostPortVariable.map { "move it with \($0)=<free port>" }
                            ?? first.port.hostPortVariable.map { "move the other one with \($0)=<free port>" }
                            ?? "give each a host port of its own"
                        issues.append(
                            StackIssue(
                                location: port.location,
                                message:
                                    "host port \(port.hostPort)/\(port.protocol.rawValue) on \(port.hostIP) of service "
                                    + "'\(service.name)' is already published by service '\(first.service.name)' of pod "
                                    + "'\(first.service.podName)' at \(first.port.location)",
                                hint: hint))
                    } else {
                        published[key, default: []].append((port, service))
                    }
                }
            }
        }
        return issues
    }

    /// Two files may share a secret by giving it the same `name:`; they must then say the same about where
    /// its value comes from, or whichever pod came up first would decide it for the other without a word.
    private static func sharedSecretsDisagree(in parsed: [ParsedPod]) -> [StackIssue] {
        var first: [String: (secret: SecretDefinition, pod: String, location: SourceLocation?)] = [:]
        var issues: [StackIssue] = []
        for pod in parsed {
            for secret in pod.definition.secrets {
                let location = pod.secretLocations[secret.name]
                guard let earlier = first[secret.name] else {
                    first[secret.name] = (secret, pod.definition.name, location)
                    continue
                }
                guard earlier.secret.source != secret.source else { continue }
                issues.append(
                    StackIssue(
                        location: location,
                        message:
                            "secret '\(secret.name)' of pod '\(pod.definition.name)' is also declared by pod "
                            + "'\(earlier.pod)'\(earlier.location.map { " at \($0)" } ?? ""), with its value from "
                            + "\(describe(earlier.secret.source)) instead of \(describe(secret.source))",
                        hint: "take the value from the same place in both files, or give this one a name: of its own"))
            }
        }
        return issues
    }

    private static func describe(_ source: SecretDefinition.Source) -> String {
        switch source {
        case .file(let path): return "file \(path)"
        case .environment(let variable): return "variable \(variable)"
        case .text: return "a config's text"
        case .external: return "a Podman secret made beforehand"
        }
    }

    /// Container names are Podman's, so unique across the stack; one written as `container_name` is
    /// reported at that line.
    private static func containerNameClashes(in pods: [PodDefinition], parsed: [ParsedPod]) -> [StackIssue] {
        let written = parsed.reduce(into: [String: SourceLocation]()) { found, pod in
            for (service, location) in pod.containerNameLocations { found[pod.definition.name + "/" + service] = location }
        }
        var seen: [String: ServiceDefinition] = [:]
        var issues: [StackIssue] = []
        for service in pods.flatMap(\.services) where !service.podName.isEmpty {
            if let first = seen[service.containerName] {
                issues.append(
                    StackIssue(
                        location: written[service.podName + "/" + service.name] ?? service.location,
                        message:
                            "container name '\(service.containerName)' is also made by service '\(first.name)' of pod "
                            + "'\(first.podName)'",
                        hint: "rename one of the services, or change its container_name"))
            } else {
                seen[service.containerName] = service
            }
        }
        return issues
    }
}
