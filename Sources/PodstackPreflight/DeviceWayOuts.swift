import PodstackHost

/// The ways out of a device verdict, as commands where one is safe to type. A vendor whose tool writes
/// CDI specs gets its command: NVIDIA's Container Toolkit (`nvidia-ctk`) and AMD's (`amd-ctk`).
enum DeviceWayOuts {
    static let generators = [
        "nvidia.com": "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml",
        "amd.com": "sudo amd-ctk cdi generate --output=/etc/cdi/amd.json",
    ]

    /// `user`: the user checked for when root drives their service (named in commands), nil for "you".
    static func waysOut(device: String, verdict: DeviceVerdict, user: String? = nil) -> [WayOut] {
        let vendor = (try? CDIDeviceName.parse(device).get())?.vendor
        let generate = vendor.flatMap { generators[$0] }
        let listSpecs = WayOut(
            action: .inspect, sentence: "See which specs Podman reads and the devices they define:",
            command: "ls -l /etc/cdi /var/run/cdi")
        switch verdict {
        case .available: return []
        case .specTooNew(let file, let version, let supported):
            return specTooNewWaysOut(file: file, version: version, supported: supported, generate: generate)
        case .noSpec:
            let write = WayOut(
                action: .generateSpec,
                sentence: generate == nil
                    ? "Install the CDI spec of this device's vendor in /etc/cdi (its container toolkit writes one)."
                    : "Write the CDI spec for this machine's GPUs:",
                command: generate)
            return [write, listSpecs]
        case .staleSpec:
            return [
                WayOut(
                    action: .generateSpec,
                    sentence: "Write the spec again for the driver installed now"
                        + (generate == nil ? " with the vendor's container toolkit." : ":"),
                    command: generate)
            ]
        case .noSuchDevice(_, let available):
            let choose = WayOut(
                action: .chooseDevice,
                sentence: "Ask for a device the spec defines (" + available.joined(separator: ", ")
                    + "), or write the spec again if this GPU was added since" + (generate == nil ? "." : ":"),
                command: generate)
            return [choose, listSpecs]
        case .conflictingSpecs(let files):
            return [
                WayOut(
                    action: .chooseDevice,
                    sentence: "Keep one of " + files.joined(separator: " and ")
                        + " (move the other out of the directory); Podman resolves no device two specs define.",
                    command: nil)
            ]
        case .onlyThroughGroup(let node, _):
            return [
                WayOut(
                    action: .inspect,
                    sentence:
                        "up gives the service keep-groups when Podman runs containers with crun; see which it runs:",
                    command: "podman info --format '{{.Host.OCIRuntime.Name}}'"),
                WayOut(
                    action: .changeRuntime,
                    sentence: "Or run containers with crun: install it, set runtime = \"crun\" under [engine] in "
                        + "~/.config/containers/containers.conf, and restart Podman's service.",
                    command: nil),
                WayOut(
                    action: .grantAccess,
                    sentence: "Or let the user open the node itself, without the group (until the next boot):",
                    command: "sudo setfacl -m u:\(user ?? "$USER"):rw \(node)"),
            ]
        case .invalidName:
            return [
                WayOut(
                    action: .chooseDevice, sentence: "Write the device as vendor/class=name, e.g. nvidia.com/gpu=all.",
                    command: nil)
            ]
        case .missingNode:
            return [
                WayOut(
                    action: .inspect, sentence: "Check that the driver is loaded and see which device nodes exist:",
                    command: "ls -l /dev/dri /dev/kfd /dev/nvidia*")
            ]
        case .notPermitted(_, let group, let sessionLacksGroup):
            return notPermittedWaysOut(group: group, sessionLacksGroup: sessionLacksGroup, user: user)
        }
    }

    /// A toolkit writes the lowest version its spec needs, so writing the spec again with the same toolkit
    /// gives the same version: the ways out are a toolkit release of the Podman's age, or a newer Podman.
    private static func specTooNewWaysOut(
        file: String, version: String, supported: String, generate: String?
    )
        -> [WayOut]
    {
        [
            WayOut(
                action: .generateSpec,
                sentence: "Write the spec with a release of the vendor's toolkit that writes CDI \(supported) or older "
                    + "(\(file) is \(version)), replacing \(file)" + (generate == nil ? "." : ":"),
                command: generate),
            WayOut(
                action: .inspect,
                sentence:
                    "Or use a Podman that reads CDI \(version) (Podman 5.4 reads up to 0.8.0); see which this is:",
                command: "podman version --format '{{.Server.Version}}'"),
        ]
    }

    private static func notPermittedWaysOut(group: String?, sessionLacksGroup: Bool, user: String?) -> [WayOut] {
        guard let group else {
            return [
                WayOut(action: .inspect, sentence: "See who may open the node:", command: "ls -l /dev/dri /dev/kfd")
            ]
        }
        let relogin = WayOut(
            action: .startNewSession,
            sentence: "Log out and in again so that your session has the group, or start a shell that has it now:",
            command: "newgrp \(group)")
        if sessionLacksGroup { return [relogin] }
        // GPU nodes belong to render (compute, /dev/dri/renderD*, /dev/kfd) or video (/dev/dri/card*); a user
        // who needs one usually needs both.
        let groups = group == "render" || group == "video" ? "render,video" : group
        guard let user else {
            return [
                WayOut(
                    action: .joinGroup, sentence: "Add yourself to the group that owns the device, then log in again:",
                    command: "sudo usermod -aG \(groups) $USER"),
                relogin,
            ]
        }
        // Root drives this user's service: the service must start again in a session that has the group.
        return [
            WayOut(
                action: .joinGroup,
                sentence: "Add \(user) (whose Podman service runs the containers) to the device's group, then start "
                    + "that service again in a session that has it (\(user) logs out and in):",
                command: "usermod -aG \(groups) \(user)")
        ]
    }
}
