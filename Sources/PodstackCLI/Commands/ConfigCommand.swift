import ArgumentParser
import Foundation
import PodstackCompose
import PodstackCore

/// `podstack config`: the stack as podstack understands it, after interpolation and validation.
struct ConfigCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the resolved stack: pods, services, images, ports, mounts, dependencies, health checks.",
        discussion: "Exit 65 with file:line:column messages when the stack is invalid.")

    @Argument(help: "Pods to show (default: all).")
    var pods: [String] = []

    @OptionGroup var stack: StackOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let definition = try stack.load(environment: context.host.environment)
            let selected = try StackRunner.select(pods, from: definition)
            for warning in definition.warnings { Console.error(warning.formatted(severity: "warning")) }
            if output.json {
                try JSONOutput.print(Stack(pods: selected, warnings: definition.warnings))
                return
            }
            for pod in selected {
                print("pod \(pod.name)  (\(pod.sourceFile))")
                let levels = (try? DependencyGraph(pod: pod).levels) ?? []
                for service in pod.services {
                    let level = levels.firstIndex { $0.contains(service.name) } ?? 0
                    print("  \(service.name)  [level \(level)]  container \(service.containerName)")
                    print("    image:   \(service.image)" + (service.imageVariable.map { "  (\($0))" } ?? ""))
                    for port in service.ports {
                        let host = port.hostPortIsPicked ? "<picked by Podman>" : "\(port.hostPort)"
                        print(
                            "    port:    \(port.hostIP):\(host) -> \(port.containerPort)/\(port.protocol.rawValue)"
                                + (port.hostPortVariable.map { "  (\($0))" } ?? ""))
                    }
                    for config in service.configs {
                        let written = config.written.map {
                            "  (up writes it there, mode 0\(String($0.mode, radix: 8)))"
                        }
                        print("    config:  \(config.hostPath) -> \(config.target) (ro)\(written ?? "")")
                    }
                    for secret in service.secrets {
                        let made = pod.secret(key: secret.source)?.source == .external ? "  (made beforehand)" : ""
                        print("    secret:  \(pod.secret(key: secret.source)?.name ?? secret.source) -> \(secret.target)\(made)")
                    }
                    let configTargets = Set(service.configs.map(\.target))
                    for mount in service.mounts where !configTargets.contains(mount.target) {
                        switch mount {
                        case .bind(let source, let target, let readOnly, _):
                            print("    bind:    \(source) -> \(target)\(readOnly ? " (ro)" : "")")
                        case .volume(let name, let target, let readOnly):
                            print("    volume:  \(name) -> \(target)\(readOnly ? " (ro)" : "")")
                        }
                    }
                    // The reason says what the file wrote and what it became (`gpus: all -> nvidia.com/gpu=all`).
                    for device in service.devices { print("    device:  \(device.reason)") }
                    for dependency in service.dependsOn {
                        print(
                            "    depends: \(dependency.service) (\(dependency.condition.rawValue)\(dependency.required ? "" : ", optional")\(dependency.restart == false ? ", not restarted with it" : ""))"
                        )
                    }
                    if let check = service.healthcheck {
                        print(
                            "    health:  \(check.test.joined(separator: " "))  every \(check.intervalSeconds)s, timeout \(check.timeoutSeconds)s, retries \(check.retries), start \(check.startPeriodSeconds)s"
                        )
                    }
                }
            }
        }
    }
}
