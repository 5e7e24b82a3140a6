import Foundation

extension NodeReader {
    /// `seccomp=FILE`: a profile in Docker's JSON format, which Podman reads when it creates the container;
    /// a relative path is the compose file's directory's, as compose resolves it. A missing file is an
    /// error here rather than a failed create halfway through `up`.
    mutating func seccompProfile(_ written: String, _ node: ComposeNode, _ context: String) -> String? {
        let what = "seccomp profile '\(written.prefix(80))' in security_opt of \(context)"
        guard !written.isEmpty, let path = PathResolution.resolve(written, against: node.origin.directory, home: nil)
        else {
            report(node, "\(what) cannot be resolved", hint: "write a path relative to the compose file, or absolute")
            return nil
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            report(node, "\(what) does not exist (\(path))", hint: "write the profile's path, or seccomp=unconfined")
            return nil
        }
        return path
    }

    /// `apparmor=PROFILE`: a profile loaded on the host, or `unconfined`. Podman refuses any other where
    /// AppArmor is not enabled (as on this project's test machines), naming the profile.
    mutating func apparmorProfile(_ written: String, _ node: ComposeNode, _ context: String) -> String? {
        guard !written.isEmpty, !written.contains(where: { $0.isWhitespace || $0 == "," }) else {
            report(node, "apparmor profile '\(written.prefix(60))' in security_opt of \(context) is not a profile name")
            return nil
        }
        return written
    }
}
