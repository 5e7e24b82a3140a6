// podstack-build-bench: builds one context through PodmanAPI's streamed build, for scripts/bench-build.sh.
//
//   podstack-build-bench --socket PATH --context DIR --tag NAME [--dockerfile FILE] [--no-cache]
//
// Streams DIR (honouring its ignore file) to `POST /libpod/build` and prints one JSON line:
// {"seconds":S,"uploadSeconds":U,"bytes":B,"image":"ID"}, U being the time to the build's first output
// line. Exits 1 with the reason on stderr when the build fails.
import Foundation
import PodmanAPI
import PodstackBuild

struct BuildBenchOptions {
    var socket = ""
    var context = ""
    var tag = ""
    var dockerfile = "Dockerfile"
    var noCache = false
}

func parse(_ arguments: ArraySlice<String>) -> BuildBenchOptions? {
    var options = BuildBenchOptions()
    var rest = arguments
    while let flag = rest.popFirst() {
        if flag == "--no-cache" {
            options.noCache = true
            continue
        }
        guard let value = rest.popFirst() else { return nil }
        switch flag {
        case "--socket": options.socket = value.hasPrefix("unix://") ? String(value.dropFirst(7)) : value
        case "--context": options.context = value
        case "--tag": options.tag = value
        case "--dockerfile": options.dockerfile = value
        default: return nil
        }
    }
    return options.socket.isEmpty || options.context.isEmpty || options.tag.isEmpty ? nil : options
}

func runBuild(_ options: BuildBenchOptions) async throws -> String {
    let rules = try IgnoreRules.forContext(directory: options.context, dockerfile: options.dockerfile)
    let archive = try ContextArchive(directory: options.context, rules: rules)
    var buildOptions = Podman.BuildOptions(tags: [options.tag])
    buildOptions.dockerfile = options.dockerfile
    buildOptions.noCache = options.noCache
    let client = PodmanClient(socketPath: options.socket)
    let start = ContinuousClock.now
    var imageID = ""
    // Podman reads the whole body into a file and extracts it before the build prints its first line:
    // the time to that line is the upload and extraction, the rest is the build itself.
    var firstOutput: Duration?
    for try await event in client.build(
        context: Podman.HTTP.BodyStream { try archive.read(into: $0) }, options: buildOptions)
    {
        if firstOutput == nil { firstOutput = ContinuousClock.now - start }
        if case .built(let id) = event { imageID = id }
    }
    let total = seconds(ContinuousClock.now - start)
    let upload = firstOutput.map(seconds) ?? total
    return "{\"seconds\":\(total),\"uploadSeconds\":\(upload),\"bytes\":\(archive.bytesProduced),\"image\":\"\(imageID)\"}"
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

guard let options = parse(CommandLine.arguments.dropFirst()) else {
    FileHandle.standardError.write(
        Data(
            "usage: podstack-build-bench --socket PATH --context DIR --tag NAME [--dockerfile FILE] [--no-cache]\n"
                .utf8))
    exit(64)
}
do {
    print(try await runBuild(options))
} catch {
    FileHandle.standardError.write(Data("podstack-build-bench: \(error)\n".utf8))
    exit(1)
}
