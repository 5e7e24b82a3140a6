extension NodeReader {
    /// `deploy:` as far as it means something for one container: `restart_policy` (Podman's restart
    /// policy), `replicas: 1` and `mode: replicated`; `resources` is NodeReader+Devices' (device reservations
    /// only). Swarm's scheduling keys are refused by name, with the reason.
    mutating func readDeploy(_ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String) {
        if let node = keys["scale"]?.value { readReplicas(node, "scale of \(context)", of: service) }
        guard let entry = keys["deploy"] else { return }
        let what = "deploy of \(context)"
        guard let options = mapping(entry.value, what) else { return }
        let deploy = knownEntries(
            options, allowed: ["restart_policy", "replicas", "mode", "resources"], unsupported: ComposeKeys.unsupportedDeploy,
            context: what)
        if let node = deploy["replicas"]?.value { readReplicas(node, "replicas of \(what)", of: service) }
        if let node = deploy["mode"]?.value, let mode = string(node, "mode of \(what)"), mode != "replicated" {
            report(node, "mode '\(mode.prefix(40))' of \(what) is not supported by podstack", hint: "use replicated, or remove it")
        }
        guard let policyEntry = deploy["restart_policy"] else { return }
        if keys["restart"] != nil {
            report(
                policyEntry.keyNode, "\(context) sets both restart and deploy.restart_policy",
                hint: "keep one of them")
            return
        }
        if let policy = restartPolicy(policyEntry.value, "restart_policy of \(what)") { service.restart = policy }
    }

    /// `condition` (none, on-failure, any; any when left out) and `max_attempts`.
    private mutating func restartPolicy(_ node: ComposeNode, _ what: String) -> RestartPolicy? {
        guard let options = mapping(node, what) else { return nil }
        let keys = knownEntries(
            options, allowed: ["condition", "max_attempts"],
            unsupported: [
                "delay": "Podman restarts at once and has no delay between restarts; remove it",
                "window": "Podman has no window for judging a restart; remove it",
            ], context: what)
        let attempts = keys["max_attempts"].flatMap { int($0.value, "max_attempts of \(what)", range: 0...Int.max) }
        let condition = keys["condition"].flatMap { string($0.value, "condition of \(what)") } ?? "any"
        switch condition {
        case "none": return .no
        case "on-failure": return .onFailure(maxRetries: attempts)
        case "any":
            if let attempts, let node = keys["max_attempts"]?.value {
                report(
                    node, "max_attempts \(attempts) of \(what) needs condition: on-failure",
                    hint: "Podman counts attempts only for on-failure")
                return nil
            }
            return .always
        default:
            report(
                keys["condition"]?.value, "condition '\(condition.prefix(40))' of \(what) is not none, on-failure or any")
            return nil
        }
    }
}
