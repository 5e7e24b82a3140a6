import Foundation

/// Where the Podman service listens: `--url`, else `CONTAINER_HOST`, else the rootless default
/// `$XDG_RUNTIME_DIR/podman/podman.sock` (root: `/run/podman/podman.sock`).
public enum PodmanSocket {
    public static func resolvePath(
        explicitURL: String?, environment: [String: String], effectiveUID: UInt32
    ) throws(PodmanError) -> String {
        if let explicitURL, !explicitURL.isEmpty { return try path(fromURL: explicitURL) }
        if let host = environment["CONTAINER_HOST"], !host.isEmpty { return try path(fromURL: host) }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime + "/podman/podman.sock"
        }
        return effectiveUID == 0 ? "/run/podman/podman.sock" : "/run/user/\(effectiveUID)/podman/podman.sock"
    }

    /// Accepts `unix:///path`, `unix:/path` and a bare absolute path.
    public static func path(fromURL url: String) throws(PodmanError) -> String {
        let path: Substring
        if url.hasPrefix("unix://") {
            path = url.dropFirst("unix://".count)
        } else if url.hasPrefix("unix:") {
            path = url.dropFirst("unix:".count)
        } else if url.hasPrefix("/") {
            path = Substring(url)
        } else {
            throw .invalidSocketURL(url)
        }
        guard path.hasPrefix("/"), path.count > 1 else { throw .invalidSocketURL(url) }
        return String(path)
    }
}
