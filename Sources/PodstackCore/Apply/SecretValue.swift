import Foundation
import PodstackCompose

/// Why a secret's value cannot be had.
public enum SecretProblem: Sendable, Equatable {
    /// The variable that holds it is not set, or set to nothing.
    case variableNotSet(variable: String)
    /// Its file is missing, unreadable or empty; `generatedByUp` when `podstack up` would write it.
    case fileNotReadable(path: String, generatedByUp: Bool)
    /// Its file is there but not to be trusted: a symbolic link, not a regular file, owned by another user,
    /// or writable by others. `reason` is a sentence that says which.
    case fileUnsafe(path: String, reason: String)
    /// It is a Podman secret made beforehand (an external config): Podman keeps its value, which its API
    /// does not give back, and podstack never reads it.
    case heldByPodman
}

/// The one reader of a secret's value, for `up` (which hands it to Podman) and `kube --include-secrets`
/// (which writes it into a manifest). One rule for both: an empty value is no value.
public enum SecretValue {
    /// The value, from a variable of `variables` or from a file that `runnerUID` (the user podstack runs as,
    /// `HostContext.effectiveUID`) or root owns.
    public static func read(_ secret: SecretDefinition, variables: [String: String], runnerUID: UInt32) throws -> Data {
        switch secret.source {
        case .environment(let variable):
            guard let value = variables[variable], !value.isEmpty else {
                throw PodstackError.secretUnavailable(key: secret.key, problem: .variableNotSet(variable: variable))
            }
            return Data(value.utf8)
        case .text(let text):
            return Data(text.utf8)
        case .external:
            throw PodstackError.secretUnavailable(key: secret.key, problem: .heldByPodman)
        case .file(let path):
            if let reason = SecretFile.unsafeReason(path, runnerUID: runnerUID) {
                throw PodstackError.secretUnavailable(key: secret.key, problem: .fileUnsafe(path: path, reason: reason))
            }
            guard let data = SecretFile.contents(path, runnerUID: runnerUID), !data.isEmpty else {
                let generated = secret.generateIfMissing && !FileManager.default.fileExists(atPath: path)
                throw PodstackError.secretUnavailable(
                    key: secret.key, problem: .fileNotReadable(path: path, generatedByUp: generated))
            }
            return data
        }
    }

    /// True when `up` writes a random value for this secret: its file is absent and the stack asks for that.
    static func isToBeGenerated(_ secret: SecretDefinition) -> Bool {
        guard secret.generateIfMissing, case .file(let path) = secret.source else { return false }
        return !FileManager.default.fileExists(atPath: path)
    }
}
