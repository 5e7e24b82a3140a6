/// How a pod's unit waits for the host device nodes its services open (compose host paths and the nodes
/// their CDI specs inject).
///
/// A `.device` unit exists only for a node that udev tags `systemd`. systemd's own rules
/// (99-systemd.rules) tag block devices, ttys and sound control nodes, so for those the unit `Requires=` and
/// is `After=` the device: the start waits until the node is there. GPU nodes get no such tag: /dev/dri/*
/// and /dev/kfd are tagged `seat` and `uaccess` only, and the NVIDIA nodes are made by nvidia-modprobe, not
/// udev. Ordering after a device unit that never appears would hold every start for the job timeout (90 s)
/// and then fail it; `ConditionPathExists=` would skip the start silently, with no retry. So for those
/// nodes the unit names them in a comment and relies on preflight (`ExecStartPre`), which refuses with
/// `missing-node` while a node is missing, and on `Restart=on-failure`, which tries again 30 s later.
public enum DeviceUnitOrdering {
    public enum Wait: Equatable, Sendable {
        /// `Requires=` and `After=` this unit (`dev-sda.device`).
        case deviceUnit(String)
        /// No device unit is certain: preflight and the restart cover it.
        case preflightOnly(String)
    }

    public static func wait(for path: String) -> Wait {
        hasDeviceUnit(path) ? .deviceUnit(unitName(path)) : .preflightOnly(path)
    }

    /// Whether systemd's stock udev rules tag the node `systemd`, by its name: disks and their partitions
    /// (sd, vd, xvd, nvme, mmcblk), serial and virtual ttys, ALSA control nodes.
    static func hasDeviceUnit(_ path: String) -> Bool {
        guard path.hasPrefix("/dev/") else { return false }
        let name = String(path.dropFirst("/dev/".count))
        let patterns: [(prefix: String, rest: (Character) -> Bool)] = [
            ("sd", { $0.isLowercase || $0.isNumber }), ("vd", { $0.isLowercase || $0.isNumber }),
            ("xvd", { $0.isLowercase || $0.isNumber }), ("nvme", { $0.isNumber || $0 == "n" || $0 == "p" }),
            ("mmcblk", { $0.isNumber || $0 == "p" }), ("tty", { $0.isLetter || $0.isNumber }),
            ("snd/controlC", { $0.isNumber }),
        ]
        return patterns.contains { pattern in
            let rest = name.dropFirst(pattern.prefix.count)
            return name.hasPrefix(pattern.prefix) && !rest.isEmpty && rest.allSatisfy { $0.isASCII && pattern.rest($0) }
                && !(pattern.prefix == "tty" && rest.allSatisfy(\.isNumber))
        }
    }

    /// `systemd-escape --path --suffix=device`: slashes to dashes, other bytes outside `[A-Za-z0-9:_.]`
    /// (and a leading dot) as `\xNN`.
    public static func unitName(_ path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        let escaped = parts.joined(separator: "/").utf8.enumerated().map { index, byte -> String in
            let scalar = Unicode.Scalar(byte)
            if scalar == "/" { return "-" }
            let plain =
                byte < 0x80
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || ":_.".unicodeScalars.contains(scalar))
                && !(index == 0 && scalar == ".")
            return plain ? String(scalar) : "\\x" + BackslashEscaping.hex(UInt32(byte), width: 2, uppercase: false)
        }
        return (escaped.isEmpty ? "-" : escaped.joined()) + ".device"
    }
}
