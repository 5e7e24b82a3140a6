extension NodeReader {
    /// `logging: {driver, options}` with the drivers Podman has and the options each takes. What Podman
    /// cannot do is refused by name: conmon's k8s-file log carries no tag (a create with one fails to start),
    /// and Podman keeps one log file per container, so there is no `max-file`.
    mutating func readLogging(_ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String) {
        guard let node = keys["logging"]?.value else { return }
        let what = "logging of \(context)"
        guard let entries = mapping(node, what) else { return }
        let given = knownEntries(entries, allowed: ["driver", "options"], context: what)
        var logging = LoggingSettings()
        if let driverNode = given["driver"]?.value, let driver = nonEmptyString(driverNode, "driver of \(what)") {
            guard LoggingSettings.drivers.contains(driver) else {
                report(
                    driverNode, "log driver '\(driver.prefix(40))' of \(context) is not one Podman has",
                    hint:
                        "use \(LoggingSettings.drivers.joined(separator: ", ")), or leave driver out for Podman's default"
                )
                return
            }
            logging.driver = driver
        }
        if let optionsNode = given["options"]?.value {
            for item in keyValues(optionsNode, "options of \(what)") ?? [] {
                logOption(item, into: &logging, what: "option '\(item.key.prefix(40))' of \(what)")
            }
        }
        service.logging = logging
    }

    private mutating func logOption(
        _ item: (key: String, value: String?, node: ComposeNode), into logging: inout LoggingSettings, what: String
    ) {
        let driver = logging.driver ?? "the default driver"
        let writesFile = logging.driver == nil || logging.driver == "k8s-file" || logging.driver == "json-file"
        switch item.key {
        case "max-size" where writesFile:
            logging.maxSizeBytes = byteSize(item.node, what)
        case "path" where writesFile:
            guard let path = item.value, path.hasPrefix("/") else {
                report(item.node, "\(what) must be an absolute path")
                return
            }
            logging.path = path
        case "tag" where logging.driver == "journald":
            logging.tag = item.value ?? ""
        case "tag":
            report(
                item.node, "\(what) is not taken by \(driver): conmon's log file carries no tag",
                hint: "use driver: journald for a tag, or remove it")
        case "max-file":
            report(
                item.node, "\(what) is not taken by Podman: it keeps one log file per container, cut at max-size",
                hint: "remove max-file; max-size alone bounds the log")
        default:
            report(
                item.node, "\(what) is not taken by \(driver)",
                hint: writesFile
                    ? "k8s-file and json-file take max-size and path"
                    : logging.driver == "journald" ? "journald takes tag" : "\(driver) takes no options")
        }
    }
}
