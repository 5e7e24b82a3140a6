extension NodeReader {
    /// Returns the check with compose's defaults filled in, and whether the file switched checks off.
    mutating func healthcheck(_ node: ComposeNode, context: String) -> (HealthCheck?, Bool) {
        let what = "healthcheck of \(context)"
        guard let entries = mapping(node, what) else { return (nil, false) }
        let keys = knownEntries(
            entries, allowed: ComposeKeys.healthcheck, unsupported: ComposeKeys.unsupportedHealthcheck, context: what)
        if let node = keys["disable"]?.value, bool(node, "disable of \(what)") == true { return (nil, true) }
        guard let testNode = keys["test"]?.value else {
            // `disable: false` alone (Immich's) changes nothing: the image's check stays, as with no healthcheck.
            if keys.keys.allSatisfy({ $0 == "disable" }) { return (nil, false) }
            report(
                node, "\(what) has no test",
                hint: "podstack passes the whole check to Podman, which takes no timings without a test; write the "
                    + "test, or disable: true")
            return (nil, false)
        }
        guard let test = healthTest(testNode, what: what) else { return (nil, false) }
        if test == ["NONE"] { return (nil, true) }
        var check = HealthCheck(test: test)
        if let node = keys["interval"]?.value, let seconds = positiveDuration(node, "interval of \(what)") {
            check.intervalSeconds = seconds
        }
        if let node = keys["timeout"]?.value, let seconds = positiveDuration(node, "timeout of \(what)") {
            check.timeoutSeconds = seconds
        }
        if let node = keys["start_period"]?.value, let seconds = durationSeconds(node, "start_period of \(what)") {
            check.startPeriodSeconds = seconds
        }
        if let node = keys["start_interval"]?.value, let seconds = positiveDuration(node, "start_interval of \(what)") {
            check.startIntervalSeconds = seconds
        }
        if let node = keys["retries"]?.value, let retries = int(node, "retries of \(what)", range: 1...1000) {
            check.retries = retries
        }
        return (check, false)
    }

    /// A zero interval or timeout would mean "never" to Podman, so they must be positive.
    private mutating func positiveDuration(_ node: ComposeNode, _ what: String) -> Double? {
        guard let seconds = durationSeconds(node, what) else { return nil }
        guard seconds > 0 else {
            report(node, "\(what) must be longer than zero")
            return nil
        }
        return seconds
    }

    /// Normalizes to `["CMD", ...]` or `["CMD-SHELL", script]`; a string is a shell script, as in compose.
    private mutating func healthTest(_ node: ComposeNode, what: String) -> [String]? {
        if case .scalar = node.kind {
            guard let script = nonEmptyString(node, "test of \(what)") else { return nil }
            return ["CMD-SHELL", script]
        }
        guard let words = words(node, "test of \(what)", splitting: false) else { return nil }
        switch words.first {
        case "NONE" where words.count == 1:
            return ["NONE"]
        case "CMD" where words.count >= 2:
            return words
        case "CMD-SHELL" where words.count == 2:
            return words
        case "CMD-SHELL" where words.count > 2:
            report(node, "test of \(what) with CMD-SHELL takes one script", hint: "join the words into one string")
        default:
            report(
                node, "test of \(what) must start with CMD, CMD-SHELL or NONE, followed by the command",
                hint: "for example [\"CMD\", \"ollama\", \"list\"]")
        }
        return nil
    }
}
