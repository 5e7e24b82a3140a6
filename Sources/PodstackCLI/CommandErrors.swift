import ArgumentParser
import Foundation
import PodstackCompose
import PodstackCore

/// A command's outcome that it has printed already and that only needs its exit code.
enum ReportedOutcome: Error {
    /// The preflight refuses: a port is taken.
    case portsTaken
    /// A migration left something to do (unreadable files, a running database, a failed file or unit).
    case migrationIncomplete
    /// A migration's destination holds different data.
    case migrationConflicts
    /// SIGINT or SIGTERM during a migration copy.
    case interrupted(signal: Int32)
}

/// The one place where errors and outcomes become sentences and exit codes (documented in the README).
enum CommandErrors {
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as PodstackError {
            Console.error(message(for: error))
            throw ExitCode(exitCode(for: error))
        } catch let outcome as ReportedOutcome {
            throw ExitCode(exitCode(for: outcome))
        }
    }

    static func exitCode(for outcome: ReportedOutcome) -> Int32 {
        switch outcome {
        case .portsTaken: return 3
        case .migrationIncomplete: return 6
        case .migrationConflicts: return 7
        case .interrupted(let signal): return 128 + signal
        }
    }

    static func exitCode(for error: PodstackError) -> Int32 {
        switch error {
        case .invalidStack: return 65
        case .unknownName, .serviceNotCreated: return 64
        case .podmanUnavailable(let failure) where failure.remedy == .fixSocketURL: return 64  // a bad --url
        case .podmanUnavailable, .unsupportedPodman: return 69
        case .podman(let failure, _) where failure.isMalformedAnswer: return 69
        case .rootfulRefused: return 77
        case .preflightRefused: return 3
        case .imagesUnavailable: return 5
        case .buildFailed: return 9
        case .servicesFailed: return 4
        case .lockHeld: return 75
        case .foreignContainers: return 8
        case .interrupted(let signal): return 128 + signal
        case .podman, .nameTaken, .externalMissing, .nameHeldInStorage, .containerNamedAsPod, .secretUnavailable,
            .variableNotSet, .hostFile:
            return 1
        }
    }

    static func message(for error: PodstackError) -> String {
        switch error {
        case .invalidStack(let load):
            return load.issues.map(\.description).joined(separator: "\n")
                + "\npodstack: the stack is invalid (\(load.issues.count) problem\(load.issues.count == 1 ? "" : "s")); nothing was changed."
        case .unknownName(let kind, let name, let known):
            return "Error: the stack has no \(kind) named '\(name)'. It has: \(known.joined(separator: ", "))."
        case .serviceNotCreated(let service, let container):
            return
                "Error: service '\(service)' has no container yet: \(container) does not exist. Run `podstack up` to create it."
        case .podmanUnavailable(let podman):
            return "Error: \(podman).\n" + podmanHint(podman)
        case .unsupportedPodman(let socketPath, let version, let minimum):
            return """
                Error: the Podman service at \(socketPath) speaks libpod API \(version); podstack needs Podman \(minimum) or newer.
                Upgrade Podman (Debian 12 has 4.3.1, current distributions 5.x), or point --url at a newer service.
                """
        case .rootfulRefused(let path):
            return """
                Error: the Podman service at \(path) runs as root; podstack runs the stack rootless, as your user.
                Point it at your own service (--url unix://$XDG_RUNTIME_DIR/podman/podman.sock), or pass --allow-rootful if you mean it.
                """
        case .preflightRefused(let report):
            let devices = report.renderDeviceTable()
            let refused = [
                (report.rows.filter { $0.verdict.refuses }.count, "port(s) are taken"),
                (report.devices.filter { $0.verdict.refuses }.count, "device(s) cannot be given"),
            ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            // A stack that publishes no port but asks for devices shows no empty port table.
            let tables = [
                report.rows.isEmpty && !devices.isEmpty ? nil : report.renderTable(), devices.isEmpty ? nil : devices,
            ]
            return tables.compactMap { $0 }.joined(separator: "\n") + "\n\n" + report.renderWaysOut()
                + "\npodstack: refusing to start: \(refused). Nothing was created."
        case .imagesUnavailable(let problems):
            let lines = problems.map { problem in
                "  \(problem.image) (for \(problem.services.joined(separator: ", "))"
                    + (problem.variable.map { "; set by \($0)" } ?? "") + "): \(problem.reason)"
            }
            return "Error: \(problems.count) image(s) cannot be had:\n" + lines.joined(separator: "\n")
                + "\nPull or build them, or point the variable at an image you have. No pod was created."
        case .buildFailed(let problem):
            let output = problem.stepOutput.suffix(20).map { "  | \($0)" }.joined(separator: "\n")
            return "Error: the image \(problem.image) of \(problem.service) did not build"
                + (problem.step.map { " at \($0)" } ?? "") + ":\n  \(problem.reason)"
                + (output.isEmpty ? "" : "\n" + output)
                + "\nFix the build (podman build shows the same), then rerun. No pod was created."
        case .servicesFailed(let report):
            return RunReportText.table(report) + "\n" + RunReportText.failures(report)
                + "\npodstack: not every service is ready. Fix the cause and rerun `podstack up`: it keeps what is ready."
        case .lockHeld(let path, let pid):
            return "Error: another podstack up/down is running" + (pid.map { " (pid \($0))" } ?? "")
                + "; it holds \(path). Wait for it to finish, or raise --lock-timeout."
        case .interrupted(let signal):
            return
                "podstack: interrupted by \(signal == SIGINT ? "SIGINT" : "SIGTERM"). What was made is kept; rerun `podstack up` to continue, or `podstack down`."
        case .podman(let podman, let step):
            return "Error while \(step): \(podman)"
        case .nameTaken(let kind, let name):
            return
                "Error: a \(kind) named '\(name)' exists and was not made by podstack; it is left alone.\nRemove or rename it (podman \(kind) rm \(name)), or rename the pod in its compose file."
        case .externalMissing(let kind, let name, let create):
            return
                "Error: the \(kind) '\(name)' does not exist; the compose file declares it external: true (made elsewhere), so podstack does not make it. Nothing was changed.\nCreate it (\(create)) and rerun, or remove external: true to have podstack make it."
        case .containerNamedAsPod(let service, let location, let version):
            return
                "Error: the container_name of service '\(service)' (\(location)) is its pod's name, and Podman \(version) refuses a container named as its pod (Podman 5 allows it). Nothing was changed.\nRename the container_name, or name the project otherwise (-p NAME, or name: in the file)."
        case .nameHeldInStorage(let name):
            return
                "Error: Podman's storage holds a container named '\(name)' that Podman does not list. A create cut short when the Podman service stopped leaves one; so can another tool, such as buildah, so podstack leaves it alone.\nRemove it (podman rm --force \(name)) and run podstack up again."
        case .secretUnavailable(let key, .variableNotSet(let variable)):
            return
                "Error: the secret '\(key)' comes from the variable \(variable), which is not set or is empty. Set it (environment, .env or --env-file) and rerun."
        case .secretUnavailable(let key, .fileNotReadable(let path, let generatedByUp)):
            return "Error: \(path): the secret '\(key)' has no readable, non-empty file here"
                + (generatedByUp ? "; `podstack up` generates it on its first run." : ".")
        case .secretUnavailable(let key, .fileUnsafe(let path, let reason)):
            return "Error: \(path): the secret '\(key)' is not read: \(reason)."
        case .secretUnavailable(let key, .heldByPodman):
            return "Error: the secret '\(key)' is a Podman secret made beforehand (external: true); podstack does "
                + "not read its value. Give the config a file: or content: to have podstack read it."
        case .variableNotSet(let name, let consequence):
            return "Error: $\(name): is not set, so \(consequence)"
        case .hostFile(let path, let reason):
            return "Error: \(path): \(reason)"
        case .foreignContainers(let pod, let names):
            return "Error: pod \(pod) holds \(names.count == 1 ? "a container" : "containers") podstack did not make: "
                + names.joined(separator: ", ")
                + ". Removing the pod would remove \(names.count == 1 ? "it" : "them") too, so nothing was changed.\n"
                + "Move or remove \(names.count == 1 ? "it" : "them") yourself, or rerun with --remove-foreign-containers."
        }
    }

    static func podmanHint(_ failure: PodmanFailure) -> String {
        switch failure.remedy {
        case .restartAndRerun:
            return
                "The Podman service went away mid-run. Start it again and rerun: podstack converges from where it stopped."
        case .useOwnSocket(let path):
            return "You may not open \(path). Use your own user's service (unix://$XDG_RUNTIME_DIR/podman/podman.sock)."
        case .waitOrRaiseTimeout:
            return
                "The service is up but not answering; check `podman system service` logs, or raise --request-timeout."
        case .fixSocketURL:
            return "Give --url (or CONTAINER_HOST) as unix:///path/to/podman.sock."
        case .clientFailed:
            return """
                podstack's HTTP client (libcurl) could not make the request; the Podman service was not asked. \
                Check that the installed libcurl has Unix socket support (`curl --version` lists UnixSockets), \
                and report the line above if it does.
                """
        case .startService:
            return """
                Start your user's Podman service: `systemctl --user enable --now podman.socket`,
                or without systemd: `podman system service --time=0 unix://$XDG_RUNTIME_DIR/podman/podman.sock &`.
                Or point podstack at another socket with --url unix:///path or CONTAINER_HOST.
                """
        }
    }
}
