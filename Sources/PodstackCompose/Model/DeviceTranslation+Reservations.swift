/// `gpus:` entries and `deploy.resources.reservations.devices`: a driver, a count or ids, capabilities.
extension DeviceTranslation {
    static func reserved(
        _ reservation: DeviceReservation, key: String, impliedGPU: Bool
    )
        -> Result<[DeviceRequest], StackLoadError>
    {
        let location = reservation.location
        let fail = { (message: String, hint: String?) in
            Result<[DeviceRequest], StackLoadError>.failure(
                StackLoadError(StackIssue(location: location, message: message, hint: hint)))
        }
        if !reservation.options.isEmpty {
            return fail(
                "\(key): options \(reservation.options.keys.sorted().joined(separator: ", ")) are settings of Docker's device driver, which Podman does not have",
                "remove options; the CDI spec decides what the container gets")
        }
        if reservation.count != nil && reservation.deviceIDs != nil {
            return fail("\(key): count and device_ids cannot both be set", "keep one of them, as compose requires")
        }
        let driver = reservation.driver?.lowercased()
        if driver == "cdi" { return cdiDriver(reservation, key: key) }
        let capabilities = Set(reservation.capabilities.map { $0.lowercased() })
        if !impliedGPU && capabilities.isEmpty {
            return fail("\(key): capabilities is missing", "write capabilities: [gpu], as compose requires")
        }
        let kind: String
        switch driver {
        case .some(let name):
            guard let known = kindsByDriver[name] else {
                return fail(
                    "\(key): driver \(name) has no CDI translation",
                    "use driver: nvidia or amd, or driver: cdi with device_ids such as vendor.com/class=name")
            }
            kind = known
        case .none:
            guard impliedGPU || capabilities.contains("gpu") || capabilities.contains("nvidia") else {
                return fail(
                    "\(key): no driver is given and the capabilities \(reservation.capabilities.joined(separator: ", ")) ask for no GPU",
                    "add gpu to capabilities, or name the driver")
            }
            kind = "nvidia.com/gpu"
        }
        let unknown = capabilities.subtracting(gpuCapabilities)
        if !unknown.isEmpty {
            return fail(
                "\(key): unknown capabilities \(unknown.sorted().joined(separator: ", ")) for a GPU",
                "write capabilities: [gpu]")
        }
        return gpuRequests(reservation, kind: kind, key: key)
    }

    /// The CDI names for a driver's GPUs: every GPU, the first N by index, or the ids given.
    private static func gpuRequests(
        _ reservation: DeviceReservation, kind: String, key: String
    )
        -> Result<[DeviceRequest], StackLoadError>
    {
        let driver = reservation.driver.map { "driver \($0)" } ?? "no driver (Docker picks NVIDIA for gpu)"
        let written = "\(key) with \(driver)"
        let location = reservation.location
        if let ids = reservation.deviceIDs {
            guard !ids.isEmpty else {
                return .failure(
                    StackLoadError(
                        StackIssue(
                            location: location, message: "\(key): device_ids is empty",
                            hint: "name a GPU, e.g. \"0\", or write count: all")))
            }
            if let bad = ids.first(where: { $0.isEmpty || $0.contains("=") || $0.contains("/") }) {
                return .failure(
                    StackLoadError(
                        StackIssue(
                            location: location, message: "\(key): device id \"\(bad)\" is not a GPU index or UUID",
                            hint: "a full CDI name goes with driver: cdi")))
            }
            return .success(
                ids.map { id in
                    DeviceRequest(
                        path: "\(kind)=\(id)", isCDI: true, reason: "\(written), device_ids \(id) -> \(kind)=\(id)",
                        location: location)
                })
        }
        switch reservation.count ?? .all {
        case .all:
            let counted = reservation.count == nil ? "no count (compose reserves every GPU)" : "count all"
            return .success([
                DeviceRequest(
                    path: "\(kind)=all", isCDI: true, reason: "\(written), \(counted) -> \(kind)=all",
                    location: location)
            ])
        case .number(let count) where count >= 1:
            return .success(
                (0..<count).map { index in
                    DeviceRequest(
                        path: "\(kind)=\(index)", isCDI: true,
                        reason:
                            "\(written), count \(count) -> \(kind)=\(index) (the first \(count) GPUs by index, as Docker picks them)",
                        location: location)
                })
        case .number(let count):
            return .failure(
                StackLoadError(
                    StackIssue(
                        location: location, message: "\(key): count \(count) asks for no GPU",
                        hint: "write count: 1 or more, or all")))
        }
    }

    /// `driver: cdi`: every id is a full CDI name, taken as it is.
    private static func cdiDriver(
        _ reservation: DeviceReservation, key: String
    ) -> Result<[DeviceRequest], StackLoadError> {
        let location = reservation.location
        guard reservation.count == nil, let ids = reservation.deviceIDs, !ids.isEmpty else {
            return .failure(
                StackLoadError(
                    StackIssue(
                        location: location, message: "\(key): driver cdi needs device_ids and takes no count",
                        hint: "write device_ids: [nvidia.com/gpu=all]")))
        }
        var requests: [DeviceRequest] = []
        for id in ids {
            guard cdiNameProblem(id) == "" else {
                return .failure(
                    StackLoadError(
                        StackIssue(
                            location: location, message: "\(key): \"\(id)\" is not a CDI name",
                            hint: "write vendor/class=name, e.g. nvidia.com/gpu=0")))
            }
            requests.append(
                DeviceRequest(path: id, isCDI: true, reason: "\(key) with driver cdi -> \(id)", location: location))
        }
        return .success(requests)
    }
}
