extension NodeReader {
    /// `devices:`, `gpus:` and `deploy.resources.reservations.devices`, translated into the create spec's
    /// devices by `DeviceTranslation`. Of `deploy.resources` the device reservations are read here; limits
    /// and CPU or memory reservations are NodeReader+Resources'.
    mutating func readDevices(_ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String) {
        var forms: [DeviceForm] = []
        if let node = keys["devices"]?.value {
            for item in sequence(node, "devices of \(context)") ?? [] {
                if let text = nonEmptyString(item, "device of \(context)") {
                    forms.append(.devicesEntry(text.trimmingWhitespace, location(item)))
                }
            }
        }
        if let node = keys["gpus"]?.value { forms += gpus(node, context: context) }
        // readDeploy reports a deploy that is not a mapping; here it is only looked into.
        if let deploy = keys["deploy"]?.value.entries,
            let resources = deploy.first(where: { $0.key == "resources" })?.value
        {
            forms += reservedDevices(resources, context: "deploy.resources of \(context)")
        }
        guard !forms.isEmpty else { return }
        do {
            service.devices = try DeviceTranslation.translate(forms)
        } catch {
            for issue in error.issues { report(at: issue.location, issue.message, hint: issue.hint) }
        }
    }

    /// `gpus: all`, or a list of reservations with an implied `gpu` capability.
    private mutating func gpus(_ node: ComposeNode, context: String) -> [DeviceForm] {
        let what = "gpus of \(context)"
        if case .scalar = node.kind {
            guard let text = string(node, what) else { return [] }
            guard text.trimmingWhitespace == "all" else {
                report(node, "\(what) is '\(text.prefix(40))', not all or a list", hint: "write gpus: all")
                return []
            }
            return [.allGPUs(location(node))]
        }
        return (sequence(node, what) ?? []).compactMap { item in
            reservation(item, "an entry of \(what)").map(DeviceForm.gpusEntry)
        }
    }

    private static let refusedResources: [String: String] = [
        "pids": "a pids limit belongs under limits: (deploy.resources.limits.pids), or pids_limit"
    ]

    private mutating func reservedDevices(_ node: ComposeNode, context: String) -> [DeviceForm] {
        guard let entries = mapping(node, context) else { return [] }
        let resources = knownEntries(
            entries, allowed: ["reservations", "limits"], unsupported: Self.refusedResources, context: context)
        guard let reservationsNode = resources["reservations"]?.value else { return [] }
        let what = "reservations of \(context)"
        guard let reservationEntries = mapping(reservationsNode, what) else { return [] }
        let notReserved = "Podman reserves no such resource for a container; remove it to run the rest"
        let reservations = knownEntries(
            reservationEntries, allowed: ["devices", "cpus", "memory"],
            unsupported: ["pids": notReserved, "generic_resources": notReserved], context: what)
        guard let devices = reservations["devices"]?.value else { return [] }
        return (sequence(devices, "devices of \(what)") ?? []).compactMap { item in
            reservation(item, "a device of \(what)").map(DeviceForm.reservation)
        }
    }

    /// One compose device reservation, as written; DeviceTranslation judges what the keys mean together.
    private mutating func reservation(_ node: ComposeNode, _ what: String) -> DeviceReservation? {
        guard let entries = mapping(node, what) else { return nil }
        let keys = knownEntries(
            entries, allowed: ["driver", "count", "device_ids", "capabilities", "options"], context: what)
        var reservation = DeviceReservation(location: location(node))
        if let value = keys["driver"]?.value { reservation.driver = nonEmptyString(value, "driver of \(what)") }
        if let value = keys["count"]?.value, let text = string(value, "count of \(what)") {
            if text.trimmingWhitespace == "all" {
                reservation.count = .all
            } else if let count = Int(text.trimmingWhitespace) {
                reservation.count = .number(count)
            } else {
                report(value, "count '\(text.prefix(40))' of \(what) is neither a number nor all")
                return nil
            }
        }
        if let value = keys["device_ids"]?.value {
            reservation.deviceIDs = words(value, "device_ids of \(what)", splitting: false)
        }
        if let value = keys["capabilities"]?.value {
            reservation.capabilities = words(value, "capabilities of \(what)", splitting: false) ?? []
        }
        if let value = keys["options"]?.value {
            for item in keyValues(value, "options of \(what)") ?? [] {
                reservation.options[item.key] = item.value ?? ""
            }
        }
        return reservation
    }
}
