import PodstackHost

/// The ways out of a device verdict, as commands where one is safe to type. A vendor whose tool writes
/// CDI specs gets its command: NVIDIA's Container Toolkit (`nvidia-ctk`) and AMD's (`amd-ctk`).
enum DeviceWayOuts {
    static let generators = [
        "nvidia.com": "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml",
        "amd.com": "sudo amd-ctk cdi generate --output=/etc/cdi/amd.json",
    ]

    static func waysOut(device: String, verdict: DeviceVerdict) -> [WayOut] {
        let vendor = (try? CDIDeviceName.parse(device).get())?.vendor
        let generate = vendor.flatMap { generators[$0] }
        let listSpecs = WayOut(
            action: .inspect, sentence: "See which specs Podman reads and the devices they define:",
            command: "ls -l /etc/cdi /var/run/cdi")
        switch verdict {
        case .available: return []
        case .noSpec, .specTooNew:
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
        case .onlyThroughGroup:
            return [
                WayOut(
                    action: .inspect, sentence: "Check that Podman runs containers with crun (runc drops the group):",
                    command: "podman info --format '{{.Host.OCIRuntime.Name}}'")
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
            return notPermittedWaysOut(group: group, sessionLacksGroup: sessionLacksGroup)
        }
    }

    private static func notPermittedWaysOut(group: String?, sessionLacksGroup: Bool) -> [WayOut] {
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
        return [
            WayOut(
                action: .joinGroup, sentence: "Add yourself to the group that owns the device, then log in again:",
                command: "sudo usermod -aG \(groups) $USER"),
            relogin,
        ]
    }
}
