import PodmanAPI

extension PodmanClient {
    /// Starts a container, once more if the OCI runtime still held the state of a start Podman lost.
    ///
    /// When the Podman service dies between the runtime's create and Podman's record of it (killed during
    /// `up`), runc's state directory for the container is left behind, and the next start fails with "runc
    /// create failed: container with given ID already exists". That failed start makes Podman delete the
    /// runtime's state, so a second start runs (seen on 4.3.1 and 5.4.2; guarded by
    /// `UpResilienceTests.leftoverRuntimeState`). Any other failure, or a second one, is thrown as it came.
    func startAfterLeftoverRuntimeState(_ name: String) async throws {
        do {
            try await startContainer(name)
        } catch let error as PodmanError where error.isLeftoverRuntimeState {
            try await startContainer(name)
        }
    }
}

extension PodmanError {
    /// The runtime refused to create a container because state of that ID is still on disk: runc's words,
    /// and crun's ("container `ID` already exists").
    var isLeftoverRuntimeState: Bool {
        guard let message = serverMessage else { return false }
        return message.contains("container with given ID already exists")
            || (message.contains("crun") && message.contains("already exists"))
    }
}
