/// Runs `body`, then `cleanup`, and waits for the cleanup whether `body` returned or threw. A test's
/// `defer` cannot await, and a `Task` started there outlives the test: its pod may still be there when the
/// next test (or the bed's leak check) looks.
func withCleanup<Result>(
    _ cleanup: () async -> Void, _ body: () async throws -> Result
) async rethrows -> Result {
    let result: Result
    do {
        result = try await body()
    } catch {
        await cleanup()
        throw error
    }
    await cleanup()
    return result
}

extension PodstackProcess {
    /// `podstack down` for the stack in `directory`, for a cleanup: its failure is the test's to see
    /// elsewhere, not here.
    func down(_ directory: String, volumes: Bool = false) async {
        _ = try? await run(["down"] + (volumes ? ["--volumes"] : []) + ["--compose-dir", directory])
    }
}
