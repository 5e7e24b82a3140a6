import Foundation

/// Why a build context cannot be read or sent. Each case names the file it is about.
public enum BuildContextError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line of `.dockerignore` / `.containerignore` that is not a valid pattern.
    case badIgnorePattern(file: String, line: Int, pattern: String, problem: IgnorePattern.Problem)
    /// The context directory is missing or not a directory.
    case notADirectory(path: String)
    /// A file or directory inside the context could not be read (`errno`'s text).
    case unreadable(path: String, reason: String)
    /// A regular file shrank while it was being sent: the archive would not hold what the header said.
    case changedWhileSending(path: String)

    public var description: String {
        switch self {
        case .badIgnorePattern(let file, let line, let pattern, let problem):
            let what =
                switch problem {
                case .emptyException: "a lone \"!\" excepts nothing"
                case .invalid: "not a valid pattern (an unclosed \"[\" or a trailing \"\\\"?)"
                }
            return "\(file):\(line): \"\(pattern)\": \(what); fix or remove the line"
        case .notADirectory(let path):
            return "\(path): the build context must be a directory"
        case .unreadable(let path, let reason):
            return "\(path): cannot be read for the build context (\(reason)); make it readable or list it in "
                + ".dockerignore"
        case .changedWhileSending(let path):
            return "\(path): the file shrank while it was being sent; build again once it is no longer written to"
        }
    }
}
