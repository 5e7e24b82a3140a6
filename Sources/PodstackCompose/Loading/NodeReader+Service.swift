extension NodeReader {
    /// Reads one entry of `services:`. Returns nil only when the service cannot be described at all; a
    /// service with problems in some keys still comes back, so that later checks (ports, dependencies) run
    /// on what could be read and the user sees everything at once. A service none of whose profiles is in
    /// `activeProfiles` is read and checked all the same, but the files its `env_file:` names are not opened: compose resolves
    /// environments only for the services a run enables, and files ship env_files of optional services
    /// that the user creates only to use them (PrivateGPT's `.env` for its Fireworks profile).
    mutating func service(_ entry: MappingEntry, pod: PodContext, activeProfiles: Set<String>) -> ServiceDefinition? {
        let name = entry.key
        let context = "service '\(name)'"
        let containerName = ServiceDefinition.containerName(pod: pod.podName, service: name)
        if !PodmanName.isValid(containerName) {
            report(
                entry.keyNode,
                "service name '\(name.prefix(60))' makes container name '\(containerName.prefix(80))', which Podman rejects",
                hint: "use letters, digits, '_', '.' and '-', starting with a letter or digit")
        }
        guard let entries = mapping(entry.value, context) else { return nil }
        let keys = knownEntries(
            entries, allowed: ComposeKeys.service, unsupported: ComposeKeys.unsupportedService, context: context)

        let build = keys["build"].flatMap { self.build($0, pod: pod, context: context) }
        let (image, imageVariable) =
            keys["image"] == nil && keys["build"] != nil
            ? (BuildDefinition.defaultImage(pod: pod.podName, service: name), nil)
            : image(keys["image"], entry: entry, context: context)
        var service = ServiceDefinition(
            name: name, podName: pod.podName, image: image, imageVariable: imageVariable,
            location: location(entry.keyNode))
        service.build = build
        if let node = keys["pull_policy"]?.value {
            service.pullPolicy = pullPolicy(node, hasBuild: keys["build"] != nil, context: context)
        }
        if let node = keys["command"]?.value { service.command = words(node, "command of \(context)", splitting: true) }
        if let node = keys["entrypoint"]?.value {
            service.entrypoint = words(node, "entrypoint of \(context)", splitting: true)
        }
        if let node = keys["profiles"]?.value {
            service.profiles = words(node, "profiles of \(context)", splitting: false) ?? []
        }
        service.environment = environment(
            keys, context: context, pod: pod, readingEnvFiles: service.isEnabled(by: activeProfiles))
        if let node = keys["labels"]?.value { service.labels = labels(node, context: context) }
        if let node = keys["annotations"]?.value {
            for item in keyValues(node, "annotations of \(context)") ?? [] { service.annotations[item.key] = item.value ?? "" }
        }
        if let node = keys["user"]?.value { service.user = nonEmptyString(node, "user of \(context)") }
        if let node = keys["working_dir"]?.value {
            service.workingDir = absolutePath(node, "working_dir of \(context)")
        }
        readLifecycle(keys, into: &service, context: context)
        if let node = keys["ports"]?.value { service.ports = ports(node, context: context) }
        if let node = keys["expose"]?.value { checkExposedPorts(node, context: context) }
        if let node = keys["volumes"]?.value {
            service.mounts = mounts(node, service: name, context: context, pod: pod)
        }
        if let node = keys["depends_on"]?.value {
            service.dependsOn = dependencies(node, service: name, context: context)
        }
        if let node = keys["healthcheck"]?.value {
            (service.healthcheck, service.healthcheckDisabled) = healthcheck(node, context: context)
        }
        if let node = keys["secrets"]?.value { service.secrets = secretReferences(node, context: context, pod: pod) }
        if let node = keys["configs"]?.value {
            let (mounts, secrets) = configs(node, service: name, context: context, pod: pod)
            service.configs = mounts
            service.secrets += secrets
            service.mounts += service.configs.map {
                .bind(source: $0.hostPath, target: $0.target, readOnly: true, selinux: nil)
            }
        }
        readAddressing(keys, into: &service, context: context)
        readProcess(keys, into: &service, context: context)
        readNamespaces(keys, into: &service, context: context)
        readDeploy(keys, into: &service, context: context)
        readDevices(keys, into: &service, context: context)
        readResources(keys, into: &service, context: context)
        readLogging(keys, into: &service, context: context)
        readUserNamespace(keys, into: &service, context: context)
        return service
    }

    /// `image:`, interpolated and checked, with the variable it came from.
    private mutating func image(
        _ imageEntry: MappingEntry?, entry: MappingEntry, context: String
    ) -> (image: String, variable: String?) {
        guard let imageEntry else {
            if servicesWithBrokenExtends.contains(entry.key) { return ("", nil) }
            report(
                entry.keyNode, "\(context) has no image", hint: "add image: REFERENCE, or build: DIRECTORY to build it")
            return ("", nil)
        }
        guard let scalar = scalar(imageEntry.value, "image of \(context)") else { return ("", nil) }
        let image = scalar.value.trimmingWhitespace
        let variable = scalar.substitutions.first?.variable
        if image.isEmpty {
            report(
                imageEntry.value, "image of \(context) is empty",
                hint: variable.map { "set \($0) to an image reference" } ?? "name an image")
        } else if image.contains(where: \.isWhitespace) || image.utf8.count > 4096 {
            report(imageEntry.value, "image '\(image.prefix(60))' of \(context) is not an image reference")
        }
        return (image, variable)
    }

    /// How the service stops and restarts.
    private mutating func readLifecycle(
        _ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String
    ) {
        if let node = keys["stop_signal"]?.value { service.stopSignal = stopSignal(node, context: context) }
        if let node = keys["stop_grace_period"]?.value,
            let seconds = durationSeconds(node, "stop_grace_period of \(context)")
        {
            service.stopGracePeriodSeconds = Int(seconds.rounded(.up))
        }
        if let node = keys["restart"]?.value, let text = string(node, "restart of \(context)") {
            if let policy = RestartPolicy(composeValue: text) {
                service.restart = policy
            } else {
                report(
                    node, "restart policy '\(text.prefix(40))' of \(context) is not one podstack knows",
                    hint: "use no, always, on-failure, on-failure:N or unless-stopped")
            }
        }
    }

    mutating func labels(_ node: ComposeNode, context: String) -> [String: String] {
        var labels: [String: String] = [:]
        for item in keyValues(node, "labels of \(context)") ?? [] {
            if item.key.hasPrefix("io.podstack.") {
                report(
                    item.node, "label '\(item.key)' of \(context) is in podstack's own namespace",
                    hint: "podstack sets io.podstack.* labels itself to find what it created; choose another name")
                continue
            }
            labels[item.key] = item.value ?? ""
        }
        return labels
    }

    private mutating func stopSignal(_ node: ComposeNode, context: String) -> String? {
        guard let text = nonEmptyString(node, "stop_signal of \(context)") else { return nil }
        let isName =
            text.count <= 16
            && text.allSatisfy { ($0.isASCII && $0.isUppercase) || $0.isASCIIDigit || $0 == "+" || $0 == "-" }
        guard isName || (Int(text).map { (1...64).contains($0) } ?? false) else {
            report(
                node, "stop_signal '\(text.prefix(40))' of \(context) is not a signal",
                hint: "write it like SIGTERM or SIGINT")
            return nil
        }
        return text
    }

    mutating func absolutePath(_ node: ComposeNode, _ what: String) -> String? {
        guard let text = nonEmptyString(node, what) else { return nil }
        guard text.hasPrefix("/") else {
            report(node, "\(what) must be an absolute path inside the container, not '\(text.prefix(60))'")
            return nil
        }
        return text
    }
}
