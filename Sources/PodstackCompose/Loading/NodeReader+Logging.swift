extension NodeReader {
    /// `logging: {driver, options}` with the drivers Podman has and the options each takes. What Podman
    /// cannot do is refused by name: conmon's k8s-file log carries no tag (a create with one fails to start).
    /// Podman keeps one log file per container, cut at `max-size`, so `max-file` above 1 beside a max-size is
    /// said in a warning.
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
        var maxFile: (count: Int, node: ComposeNode, what: String)?
        if let optionsNode = given["options"]?.value {
            for item in keyValues(optionsNode, "options of \(what)") ?? [] {
                logOption(
                    item, into: &logging, maxFile: &maxFile, what: "option '\(item.key.prefix(40))' of \(what)")
            }
        }
        // Without max-size, Docker does not rotate either (max-file needs it): the same log, nothing to say.
        if let maxFile, logging.maxSizeBytes != nil {
            warnings.append(
                StackIssue(
                    location: location(maxFile.node),
                    message: "\(maxFile.what) is \(maxFile.count), but Podman keeps one log file per container, "
                        + "cut at max-size",
                    hint: "the log stays bounded, at max-size; remove max-file to silence this"))
        }
        service.logging = logging
    }

    private mutating func logOption(
        _ item: (key: String, value: String?, node: ComposeNode), into logging: inout LoggingSettings,
        maxFile: inout (count: Int, node: ComposeNode, what: String)?, what: String
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
        // Docker's max-file bounds the log at max-file × max-size; Podman keeps one file cut at max-size,
        // which bounds it more tightly. The file's aim (a bounded log) holds, so this loads: with no word
        // for max-file 1, which is just what Podman does, and a warning for more.
        case "max-file" where writesFile:
            guard let count = item.value.flatMap(Int.init), count >= 1 else {
                report(item.node, "\(what) must be a whole number, 1 or more")
                return
            }
            if count > 1 { maxFile = (count, item.node, what) }
        default:
            report(
                item.node, "\(what) is not taken by \(driver)",
                hint: writesFile
                    ? "k8s-file and json-file take max-size and path"
                    : logging.driver == "journald" ? "journald takes tag" : "\(driver) takes no options")
        }
    }
}
