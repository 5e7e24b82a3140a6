import Foundation
import PodstackCompose

/// What `up` will do to one pod, decided from the definition and what Podman has, before any change.
public struct PodPlan: Sendable {
    public enum PodAction: Sendable, Equatable {
        case create
        case keep
        /// Made anew, with every container: its published ports or its shared settings changed (both are
        /// fixed at creation), or its infra container is stuck. The reason is said to the user.
        case recreate(reason: String)
    }

    public enum ServiceAction: Sendable, Equatable {
        case create
        /// Unchanged: start it if it is not running, then check it is ready.
        case keep
        /// The definition changed (its config hash differs).
        case recreate
        /// Unchanged, but stuck in "stopping" (`StackPlanner.LiveContainer.stuck`): made anew.
        case replaceStuck
        /// Unchanged, but something it depends on is recreated, so it restarts after it.
        case restart
    }

    public var pod: PodDefinition
    public var podAction: PodAction
    public var services: [String: ServiceAction]
    /// Containers of this stack whose service is no longer in the file.
    public var orphans: [String]
}

/// Compares the definition with the live containers, by labels and config hash.
public enum StackPlanner {
    /// What the planner needs to know of one live container.
    public struct LiveContainer: Sendable {
        public var name: String
        public var service: String?
        public var configHash: String?
        /// The ID of the image it was made from.
        public var imageID: String?
        /// Stuck in "stopping" for good: Podman 4.3 leaves a container whose conmon died (its service killed
        /// with everything of the user, then `podman system migrate`) there, and it can be neither started
        /// nor stopped, only removed. `StackRunner` says so only when the conmon is gone; a container that
        /// someone is stopping right now is waited for instead.
        public var stuck: Bool
        /// The compose profiles of its service when it was made (`StackLabels.profiles`).
        public var profiles: [String]

        public init(
            name: String, service: String?, configHash: String?, imageID: String? = nil, stuck: Bool = false,
            profiles: [String] = []
        ) {
            self.name = name
            self.service = service
            self.configHash = configHash
            self.imageID = imageID
            self.stuck = stuck
            self.profiles = profiles
        }
    }

    /// `livePodPortsHash` is nil when the pod does not exist; `livePodPublishedHash` is its
    /// `publishedPortsHash` label, which tells changed ports from other changed settings; `liveInfraStuck`
    /// says its infra container is stuck (see `LiveContainer.stuck`), which makes the pod anew, as changed
    /// ports do.
    public static func plan(
        pod: PodDefinition, graph: DependencyGraph, livePodPortsHash: String??, livePodPublishedHash: String? = nil,
        liveInfraStuck: Bool = false,
        live: [LiveContainer], activeProfiles: Set<String> = [], builtImageIDs: [String: String] = [:]
    ) -> PodPlan {
        let podAction: PodPlan.PodAction
        switch livePodPortsHash {
        case .none: podAction = .create
        case .some(let hash):
            if hash != ConfigDigest.ports(pod) {
                podAction = .recreate(reason: podChangeReason(pod, livePublishedHash: livePodPublishedHash))
            } else if liveInfraStuck {
                podAction = .recreate(reason: "its infra container is stuck in \"stopping\" (its conmon is gone)")
            } else {
                podAction = .keep
            }
        }
        let byService = Dictionary(
            live.compactMap { c in c.service.map { ($0, c) } }, uniquingKeysWith: { first, _ in first })
        var actions: [String: PodPlan.ServiceAction] = [:]
        for service in pod.services {
            guard podAction == .keep, let current = byService[service.name] else {
                actions[service.name] = .create
                continue
            }
            if current.stuck {
                actions[service.name] = .replaceStuck
            } else {
                let changed =
                    !ConfigDigest.matches(current.configHash, service)
                    || Self.imageRebuilt(service, container: current, builtImageIDs: builtImageIDs)
                actions[service.name] = changed ? .recreate : .keep
            }
        }
        // A recreated service's dependents restart after it, so they reconnect to the new container.
        for (name, action) in actions where action == .recreate || action == .replaceStuck {
            for dependent in graph.dependentsToRestart(after: name) where actions[dependent] == .keep {
                actions[dependent] = .restart
            }
        }
        let defined = Set(pod.services.map(\.name))
        // A service of a profile that is not active now is not loaded, yet it may well still be in the file:
        // its container stays (compose does the same), and `down` takes it away with the pod. With one of
        // its profiles active, a container whose service is not loaded has left the file: an orphan.
        let orphans = live.filter { container in
            if !container.profiles.isEmpty, activeProfiles.isDisjoint(with: container.profiles) { return false }
            return container.service.map { !defined.contains($0) } ?? true
        }.map(\.name)
        return PodPlan(pod: pod, podAction: podAction, services: actions, orphans: podAction == .keep ? orphans : [])
    }

    /// Why a pod whose hash moved is made anew: its published ports, or what its containers share (hosts
    /// entries, DNS, hostnames, network mode, /dev/shm). A pod made before the ports had a label of their
    /// own cannot tell which.
    static func podChangeReason(_ pod: PodDefinition, livePublishedHash: String?) -> String {
        guard let livePublishedHash else { return "its published ports or its shared settings changed" }
        if livePublishedHash != ConfigDigest.publishedPorts(pod) { return "published ports changed" }
        return "its shared settings changed (hostnames, hosts entries, DNS, network mode or /dev/shm size)"
    }

    /// A service with `build:` whose image now has another ID than its container's was built anew (or,
    /// with `pull_policy` always or a refresh, pulled anew): the container is made again from it. The
    /// config hash cannot say so, as the reference stays the same; a build that came wholly from cache, or
    /// a pull that found nothing newer, keeps the ID and recreates nothing.
    static func imageRebuilt(_ service: ServiceDefinition, container: LiveContainer, builtImageIDs: [String: String])
        -> Bool
    {
        guard service.build != nil || service.pullPolicy.pullsOverPresentImage, let now = builtImageIDs[service.image],
            let made = container.imageID
        else {
            return false
        }
        return now != made
    }
}
