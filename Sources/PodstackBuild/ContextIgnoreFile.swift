import Foundation

extension IgnoreRules {
    /// The ignore files a context may hold, in the order Podman looks for them: the first that exists wins.
    public static let fileNames = [".containerignore", ".dockerignore"]

    /// The rules of the context in `directory`: its `.containerignore`, else its `.dockerignore`, else none;
    /// with the Dockerfile (`dockerfile`, relative to the context) and the ignore file itself always sent,
    /// as `docker build` and `podman build` send them.
    public static func forContext(directory: String, dockerfile: String) throws(BuildContextError) -> IgnoreRules {
        for name in fileNames {
            let path = directory + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadable(path: name, reason: "permission denied or not a regular file")
            }
            let rules = try IgnoreRules(text: String(decoding: data, as: UTF8.self), file: path)
            return rules.keeping([name, IgnorePattern.clean(dockerfile)])
        }
        return .empty
    }
}
