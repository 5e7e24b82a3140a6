/// Turns every GPU and device form of a compose file into the devices Podman's create spec takes: CDI
/// names, which Podman resolves against the specs in /etc/cdi and /var/run/cdi, or host nodes. Pure: no
/// file is read; preflight checks afterwards that each name resolves on this host.
///
/// The rules follow what Docker does with the same file, so that a file means here what it means there:
/// - `gpus: all`, and a reservation with no driver but the `gpu` capability, go to NVIDIA, the one GPU
///   driver Docker has built in.
/// - `count: N` is the first N GPUs by index (0 to N-1), as Docker's NVIDIA driver picks them; nvidia-ctk
///   and amd-ctk name each GPU of their specs by its index, and `all` for every one.
/// - `count` and `device_ids` together are an error (the compose spec says so); neither means all.
/// - `driver: cdi` takes fully qualified names in `device_ids`, as Docker 25's CDI driver does.
public enum DeviceTranslation {
    /// The CDI kind a compose `driver:` names.
    static let kindsByDriver = ["nvidia": "nvidia.com/gpu", "amd": "amd.com/gpu"]
    /// What Docker's NVIDIA driver accepts as capabilities; a CDI spec injects the whole driver whatever
    /// was asked, so they choose nothing here, but an unknown one is still a mistake worth saying.
    static let gpuCapabilities: Set = [
        "gpu", "nvidia", "compute", "utility", "graphics", "video", "display", "compat32",
    ]

    /// The device list, in the order the file gives it, each device once. Every problem is reported together.
    public static func translate(_ forms: [DeviceForm]) throws(StackLoadError) -> [DeviceRequest] {
        var requests: [DeviceRequest] = []
        var issues: [StackIssue] = []
        for form in forms {
            switch requestsFor(form) {
            case .success(let made):
                requests += made.filter { new in !requests.contains { $0.path == new.path } }
            case .failure(let error): issues += error.issues
            }
        }
        if !issues.isEmpty { throw StackLoadError(issues: issues) }
        return requests
    }

    static func requestsFor(_ form: DeviceForm) -> Result<[DeviceRequest], StackLoadError> {
        switch form {
        case .devicesEntry(let text, let location): return devicesEntry(text, location).map { [$0] }
        case .allGPUs(let location):
            return .success([
                DeviceRequest(
                    path: "nvidia.com/gpu=all", isCDI: true,
                    reason: "gpus: all -> nvidia.com/gpu=all (Docker gives `gpus` to its NVIDIA driver; "
                        + "an AMD card is `devices: [amd.com/gpu=all]`)", location: location)
            ])
        case .gpusEntry(let reservation): return reserved(reservation, key: "gpus", impliedGPU: true)
        case .reservation(let reservation):
            return reserved(reservation, key: "deploy.resources.reservations.devices", impliedGPU: false)
        }
    }

    /// A `devices:` entry: a CDI name as it is, or `HOST[:CONTAINER][:PERMISSIONS]` read as Docker reads it
    /// (a second part made only of r, w and m is the permissions).
    static func devicesEntry(_ text: String, _ location: SourceLocation?) -> Result<DeviceRequest, StackLoadError> {
        let written = "devices: \(text)"
        if let problem = cdiNameProblem(text) {
            if problem.isEmpty {
                return .success(
                    DeviceRequest(
                        path: text, isCDI: true, reason: "\(written) -> CDI device \(text)", location: location))
            }
            return .failure(
                StackLoadError(
                    StackIssue(
                        location: location, message: "\(text) \(problem)",
                        hint: "write vendor/class=name, e.g. nvidia.com/gpu=all")))
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let host = parts[0]
        var container = host
        var permissions = "rwm"
        switch parts.count {
        case 1: break
        case 2 where isPermissions(parts[1]): permissions = parts[1]
        case 2: container = parts[1]
        case 3: (container, permissions) = (parts[1], parts[2])
        default:
            return .failure(
                StackLoadError(
                    StackIssue(
                        location: location, message: "device \"\(text)\" has more than three parts",
                        hint: "write HOST[:CONTAINER][:rwm]")))
        }
        guard host.hasPrefix("/"), container.hasPrefix("/") else {
            return .failure(
                StackLoadError(
                    StackIssue(
                        location: location, message: "device \"\(text)\" is neither an absolute path nor a CDI name",
                        hint: "write /dev/dri, /dev/kfd:/dev/kfd:rw, or a CDI name such as nvidia.com/gpu=all")))
        }
        guard isPermissions(permissions) else {
            return .failure(
                StackLoadError(
                    StackIssue(
                        location: location,
                        message: "device permissions \"\(permissions)\" in \"\(text)\" are not made of r, w and m")))
        }
        let path = "\(host):\(container):\(permissions)"
        return .success(
            DeviceRequest(
                path: path, isCDI: false, reason: "\(written) -> host device \(path)", location: location,
                hostPath: host, permissions: permissions))
    }

    /// Nil when the text is no CDI name at all (a path); "" when it is a well-formed one; else what is wrong.
    /// The character rules are preflight's to check against the CDI library's; this only sees the shape.
    static func cdiNameProblem(_ text: String) -> String? {
        guard !text.hasPrefix("/"), let equals = text.firstIndex(of: "=") else { return nil }
        let kind = text[..<equals].split(separator: "/", omittingEmptySubsequences: false)
        let name = text[text.index(after: equals)...]
        guard kind.count == 2 else { return "is not a CDI name: its kind must be vendor/class" }
        if kind.contains(where: \.isEmpty) || name.isEmpty {
            return "is not a CDI name: vendor, class and name must all be given"
        }
        return ""
    }

    static func isPermissions(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy { "rwm".contains($0) } }
}
