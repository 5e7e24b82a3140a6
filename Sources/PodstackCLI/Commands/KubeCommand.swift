import ArgumentParser
import Foundation
import PodstackCompose
import PodstackCore
import PodstackExport

/// `podstack kube`: the stack as Kubernetes YAML, for `podman kube play` or for a cluster.
struct KubeCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube",
        abstract: "Print Kubernetes YAML for the stack's pods: for `podman kube play`, or for a cluster.",
        discussion: """
            Per pod: a PersistentVolumeClaim per named volume, then a Pod (or a Deployment) with its containers, \
            ports (hostPort), environment, bind mounts as hostPath volumes, probes made from the health checks, \
            and its secrets as Secret references. Dependencies that a Pod cannot order are named in comments; \
            --sidecars orders them with native sidecars (Kubernetes 1.29+; podman kube play cannot run those). \
            Images podstack builds exist only in the local store: --push REGISTRY builds the missing ones, \
            pushes each through the Podman API to REGISTRY and names the pushed image in the YAML. \
            See docs/systemd-and-kubernetes.md.
            """)

    @Argument(help: "Pods to export (default: every pod of the stack).")
    var pods: [String] = []

    @OptionGroup var stack: StackOptions

    @Flag(help: "A Deployment of one replica per pod instead of a bare Pod.")
    var deployment = false

    @Flag(help: "Order dependencies as native sidecars with startup probes (Kubernetes 1.29+, not podman kube play).")
    var sidecars = false

    @Flag(
        help: "Write each secret's value into a Secret manifest (keep the output private); otherwise only refer to it.")
    var includeSecrets = false

    @Option(help: ArgumentHelp("Storage each PersistentVolumeClaim requests.", valueName: "quantity"))
    var claimSize = "10Gi"

    @Option(
        help: ArgumentHelp(
            "Push the images of services with build: to this registry (host[:port][/path]) and name them so.",
            valueName: "registry"))
    var push: String?

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Seconds to wait for another podstack up/down to finish (with --push).")
    var lockTimeout: Int = 120

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let (definition, variables) = try stack.loadWithVariables(environment: context.host.environment)
            // With --push, the run below loads the stack again and prints its warnings.
            if push == nil {
                for warning in definition.warnings { Console.error(warning.formatted(severity: "warning")) }
            }
            var selected = try StackRunner.select(pods, from: definition)
            if let registry = push {
                let pushed = try await ChangingRun(
                    context: context, stack: stack, connection: connection, pods: pods, lockTimeout: lockTimeout
                ).perform { runner, chosen in try await runner.pushBuiltImages(chosen, registry: registry) }
                selected = selected.map { $0.namingImages(pushed) }
            }
            let options = KubeExportOptions(
                workload: deployment ? .deployment : .pod, sidecars: sidecars, includeSecrets: includeSecrets,
                claimSize: claimSize)
            let runnerUID = context.host.effectiveUID
            let exporter = KubeExporter(
                options: options,
                secretValue: { try SecretValue.read($0, variables: variables, runnerUID: runnerUID) })
            do {
                print(try exporter.render(selected, version: PodstackCommand.configuration.version), terminator: "")
            } catch let error as StackLoadError {
                throw PodstackError.invalidStack(error)
            }
        }
    }

}
