import Foundation
import Yams

/// One CDI spec file as Podman reads it: a kind (`vendor/class`), its devices, and the edits each device
/// (and the spec as a whole) makes to a container. Only the fields preflight needs are kept; the rest of the
/// file is accepted as the CDI library accepts it.
public struct CDISpec: Sendable, Hashable {
    public struct Device: Sendable, Hashable {
        public var name: String
        public var edits: ContainerEdits
    }

    public struct ContainerEdits: Sendable, Hashable, Decodable {
        public var env: [String]
        public var deviceNodes: [DeviceNode]
        public var mounts: [Mount]

        public static let none = ContainerEdits(env: [], deviceNodes: [], mounts: [])

        public init(env: [String], deviceNodes: [DeviceNode], mounts: [Mount]) {
            self.env = env
            self.deviceNodes = deviceNodes
            self.mounts = mounts
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            env = try container.decodeIfPresent([String].self, forKey: .env) ?? []
            deviceNodes = try container.decodeIfPresent([DeviceNode].self, forKey: .deviceNodes) ?? []
            mounts = try container.decodeIfPresent([Mount].self, forKey: .mounts) ?? []
        }

        private enum CodingKeys: String, CodingKey { case env, deviceNodes, mounts }
    }

    public struct DeviceNode: Sendable, Hashable, Decodable {
        /// The path inside the container.
        public var path: String
        /// The node on the host; the container path when the spec gives none.
        public var hostPath: String?
        public var permissions: String?

        public var hostSide: String { hostPath ?? path }
    }

    public struct Mount: Sendable, Hashable, Decodable {
        public var hostPath: String
        public var containerPath: String
    }

    /// The file, as a path inside the root that was read (`/etc/cdi/nvidia.yaml`).
    public var file: String
    public var version: String
    public var vendor: String
    public var deviceClass: String
    public var devices: [Device]
    /// Edits every device of the spec brings along (`containerEdits` at the top level).
    public var commonEdits: ContainerEdits

    public var kind: String { "\(vendor)/\(deviceClass)" }

    public func device(named name: String) -> Device? { devices.first { $0.name == name } }

    /// Every device name, `all` included when the spec defines it (nvidia-ctk and amd-ctk both do).
    public var deviceNames: [String] { devices.map(\.name) }
}

/// A spec file that Podman would skip: which file, and what is wrong with it.
public struct CDISpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// The kind the file declares, when it could be read that far: a broken spec of the kind a device is
    /// asked from explains why that device cannot be found.
    public var kind: String?
    public var reason: String

    public init(file: String, kind: String? = nil, reason: String) {
        self.file = file
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}

extension CDISpec {
    /// The spec in `text`, YAML or JSON as the file's name says, checked the way the CDI library checks a
    /// spec before it registers any of its devices.
    public static func parse(_ text: String, file: String) -> Result<CDISpec, CDISpecError> {
        let raw: RawSpec
        do {
            raw =
                file.hasSuffix(".json")
                ? try JSONDecoder().decode(RawSpec.self, from: Data(text.utf8))
                : try YAMLDecoder().decode(RawSpec.self, from: text)
        } catch let error as DecodingError {
            return .failure(CDISpecError(file: file, reason: describe(error)))
        } catch {
            return .failure(
                CDISpecError(file: file, reason: "not valid \(file.hasSuffix(".json") ? "JSON" : "YAML"): \(error)"))
        }
        return validate(raw, file: file)
    }

    private static func validate(_ raw: RawSpec, file: String) -> Result<CDISpec, CDISpecError> {
        let fail = { (reason: String) in
            Result<CDISpec, CDISpecError>.failure(CDISpecError(file: file, kind: raw.kind, reason: reason))
        }
        guard CDIVersion(raw.cdiVersion) != nil else {
            return fail("cdiVersion \"\(raw.cdiVersion)\" is not a version of the form 0.5.0")
        }
        guard let parts = CDIKind.split(kind: raw.kind) else {
            return fail("kind \"\(raw.kind)\" is not of the form vendor/class")
        }
        if let problem = CDIKind.vendorProblem(parts.vendor) ?? CDIKind.classProblem(parts.deviceClass) {
            return fail(problem)
        }
        guard !raw.devices.isEmpty else { return fail("it defines no devices") }
        var seen = Set<String>()
        for device in raw.devices {
            if let problem = CDIKind.deviceNameProblem(device.name) { return fail(problem) }
            guard seen.insert(device.name).inserted else { return fail("device \"\(device.name)\" is defined twice") }
            if let problem = editsProblem(device.containerEdits) {
                return fail("device \"\(device.name)\": \(problem)")
            }
        }
        let common = raw.containerEdits ?? .none
        if let problem = editsProblem(common) { return fail(problem) }
        return .success(
            CDISpec(
                file: file, version: raw.cdiVersion, vendor: parts.vendor, deviceClass: parts.deviceClass,
                devices: raw.devices.map { Device(name: $0.name, edits: $0.containerEdits) }, commonEdits: common))
    }

    private static func editsProblem(_ edits: ContainerEdits) -> String? {
        if let bad = edits.env.first(where: { !$0.contains("=") || $0.hasPrefix("=") }) {
            return "env entry \"\(bad)\" is not NAME=VALUE"
        }
        if let bad = edits.deviceNodes.first(where: { !$0.path.hasPrefix("/") }) {
            return "device node path \"\(bad.path)\" is not absolute"
        }
        if let bad = edits.deviceNodes.first(where: { !($0.permissions ?? "r").allSatisfy("rwm".contains) }) {
            return "device node \(bad.path) has permissions \"\(bad.permissions ?? "")\"; only r, w and m are allowed"
        }
        if let bad = edits.mounts.first(where: { !$0.hostPath.hasPrefix("/") || !$0.containerPath.hasPrefix("/") }) {
            return "mount \(bad.hostPath) -> \(bad.containerPath) needs absolute paths on both sides"
        }
        return nil
    }

    /// A decoding failure as a sentence that names the field: `devices[0].name is missing`.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                return text.isEmpty ? key.stringValue : text + "." + key.stringValue
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "\(parent.isEmpty ? "" : parent + ".")\(key.stringValue) is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return "\(field.isEmpty ? "the file" : field) is not \(typeName(type))"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return (field.isEmpty ? "" : field + ": ") + "cannot be read (\(context.debugDescription))"
        @unknown default:
            return "cannot be read (\(error))"
        }
    }

    /// Foundation and Yams name the expected type differently (`Array<Any>`, `Sequence`, `Mapping`).
    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if type == String.self { return "a string" }
        if name.hasPrefix("Array") || name.contains("Sequence") { return "a list" }
        if name.hasPrefix("Dictionary") || name.contains("Mapping") { return "a mapping" }
        return "of the expected type (\(name))"
    }

    private struct RawSpec: Decodable {
        var cdiVersion: String
        var kind: String
        var devices: [RawDevice]
        var containerEdits: ContainerEdits?
    }

    private struct RawDevice: Decodable {
        var name: String
        var containerEdits: ContainerEdits

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            containerEdits = try container.decodeIfPresent(ContainerEdits.self, forKey: .containerEdits) ?? .none
        }

        private enum CodingKeys: String, CodingKey { case name, containerEdits }
    }
}

/// A spec version (`0.5.0`) that compares as numbers, so that a spec newer than a Podman understands can be
/// told apart: Podman 4.3.1 skips specs above 0.5.0 (seen on the test bed; docs/gpus.md).
public struct CDIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var parts: [Int]

    public init?(_ text: String) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let numbers = trimmed.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(numbers.count), numbers.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        parts = numbers.compactMap { $0 } + Array(repeating: 0, count: 3 - numbers.count)
    }

    public static func < (lhs: CDIVersion, rhs: CDIVersion) -> Bool { lhs.parts.lexicographicallyPrecedes(rhs.parts) }
    public var description: String { parts.map(String.init).joined(separator: ".") }
}
