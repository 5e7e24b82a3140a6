/// Resolves paths the way the kernel would if `root` were `/`. Unit directories are full of absolute
/// symbolic links (on NixOS /etc/systemd/system itself links to /etc/static/..., whose units link into
/// /nix/store), and a recorded tree in a test, or a container's root, must be read without following
/// them out to the real host. `..` stops at the root, as it does at `/`.
public struct RootedPath: Sendable {
    public let root: String
    /// The kernel gives up after 40 links (ELOOP); so does this.
    static let maximumLinkHops = 40

    public init(root: String) {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed == "/" ? "" : trimmed
    }

    /// The host path of `path` (absolute, as seen inside the root) with every symbolic link followed.
    /// Nil on a link loop. A missing final component is not an error: the caller finds out on reading.
    public func resolve(_ path: String) -> String? {
        var pending = Array(path.split(separator: "/").reversed().map(String.init))
        var resolved: [String] = []
        var hops = 0
        while let component = pending.popLast() {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let candidate = hostPath(resolved + [component])
            guard HostFiles.isSymlink(candidate), let target = HostFiles.readLink(candidate) else {
                resolved.append(component)
                continue
            }
            hops += 1
            if hops > Self.maximumLinkHops { return nil }
            if target.hasPrefix("/") { resolved.removeAll() }
            pending.append(contentsOf: target.split(separator: "/").reversed().map(String.init))
        }
        return hostPath(resolved)
    }

    /// The path inside the root that a resolved host path stands for: `/nix/store/…/ollama.service`.
    public func insidePath(ofHostPath hostPath: String) -> String {
        guard !root.isEmpty, hostPath.hasPrefix(root) else { return hostPath }
        let inside = String(hostPath.dropFirst(root.count))
        return inside.isEmpty ? "/" : inside
    }

    private func hostPath(_ components: [String]) -> String {
        root + "/" + components.joined(separator: "/")
    }
}
