import Foundation
import Testing

@testable import PodstackCompose

/// A directory of its own for one test, removed when the test is done with it.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "podstack-compose-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ contents: String) throws -> URL {
        let url = URL(fileURLWithPath: path + "/" + name)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

/// The environment most tests load with: a HOME of their own, so that nothing depends on the machine.
func testEnvironment(_ extra: [String: String] = [:], home: String = "/home/tester") -> [String: String] {
    ["HOME": home].merging(extra) { _, new in new }
}

/// Loads one compose file written into a fresh directory.
func load(
    _ yaml: String, environment: [String: String] = testEnvironment(), profiles: [String] = [],
    name: String = "stack.yml"
) throws -> Stack {
    let directory = try ScratchDirectory()
    let file = try directory.write(name, yaml)
    return try StackLoader(environment: environment, profiles: profiles).load(files: [file])
}

/// The issues of a load that is expected to fail; an empty list when it did not fail.
func loadIssues(
    _ yaml: String, environment: [String: String] = testEnvironment(), profiles: [String] = []
) throws -> [StackIssue] {
    do {
        _ = try load(yaml, environment: environment, profiles: profiles)
        return []
    } catch let error as StackLoadError {
        return error.issues
    }
}

/// The issues of loading `files` as one project (`-f a -f b`); an empty list when it loaded.
func projectIssues(_ files: [URL], environment: [String: String] = testEnvironment()) -> [StackIssue] {
    do {
        _ = try StackLoader(environment: environment).load(projectFiles: files)
        return []
    } catch {
        return error.issues
    }
}

/// The repository's root, found from this file's path, so the tests read the real compose/ files.
func repositoryRoot(filePath: String = #filePath) -> URL {
    // Resolving symlinks lets the tests also run from a package that links this directory in.
    URL(fileURLWithPath: filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // PodstackComposeTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
}

func repositoryComposeFiles() -> [URL] {
    let compose = repositoryRoot().appendingPathComponent("compose")
    return ["aidb.yml", "local-ai.yml"].map { compose.appendingPathComponent($0) }
}
