import Foundation

extension Podman {
    /// Sends HTTP requests over a Unix socket with libcurl. Knows nothing of Podman's routes.
    ///
    /// Every transfer runs on a worker thread of `CurlWorkerPool` (never on Swift's cooperative pool), and a
    /// task's cancellation reaches the transfer through libcurl's progress callback.
    public struct CurlTransport: Sendable {
        public let socketPath: String
        public var connectTimeout: Duration
        /// Copies of a transport (and of the client holding it) share its workers and their connections.
        let workers = CurlWorkerPool()

        public init(socketPath: String, connectTimeout: Duration = .seconds(2)) {
            self.socketPath = socketPath
            self.connectTimeout = connectTimeout
        }

        /// The executor to prefer for tasks that send many requests (`withTaskExecutorPreference`): on its
        /// threads a request runs in place, without the two thread hops it costs from the cooperative pool.
        public var executor: any TaskExecutor { workers }

        /// Sends a request and collects the whole response.
        public func send(_ request: HTTP.Request) async throws -> HTTP.Response {
            // Run in place when this task is on one of this transport's threads and holds no actor: blocking a
            // worker is what it is for, but an actor running on one (its tasks prefer this executor) would be
            // held for the whole transfer, so an actor's request goes through a worker and suspends instead.
            let callerActor: (any Actor)? = #isolation
            if callerActor == nil, let worker = workers.currentWorker {
                // Nothing here suspends, so the thread, and with it the worker's handle, stays this one to the
                // end. The transfer state is the worker's own, used again request after request, and its
                // callbacks run inside this task, so they ask the task itself whether it was cancelled, where a
                // cancellation handler would cost each request two executor switches and a status record.
                guard let handle = worker.handle else {
                    throw PodmanError.transport(.noCurlHandle, socketPath: socketPath)
                }
                return try handle.performInPlace(request, socketPath: socketPath, connectTimeout: connectTimeout)
            }
            return try await sendThroughWorker(request)
        }

        /// The transfer on an idle worker's thread, the caller suspended until it ends.
        private func sendThroughWorker(_ request: HTTP.Request) async throws -> HTTP.Response {
            let context = TransferContext()
            return try await withTaskCancellationHandler {
                try await submitToWorker(request, context: context)
            } onCancel: {
                context.cancel()
            }
        }

        private func submitToWorker(_ request: HTTP.Request, context: TransferContext) async throws -> HTTP.Response {
            let socketPath = self.socketPath
            let connectTimeout = self.connectTimeout
            return try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<HTTP.Response, Error>) in
                workers.submit { handle in
                    let failure = CurlTransfer.perform(
                        request, socketPath: socketPath, connectTimeout: connectTimeout, handle: handle,
                        context: context)
                    let result: Result<HTTP.Response, Error> =
                        if let failure { .failure(failure) } else {
                            .success(context.response)
                        }
                    return { continuation.resume(with: result) }
                }
            }
        }

        /// Sends a request whose response body arrives over time (pulls, logs, events). The stream yields the
        /// head, then body chunks at arbitrary boundaries; it ends when the server closes the response.
        /// Stopping the iteration cancels the transfer.
        ///
        /// Podman 4.3 sends the head of a log follow only with the first line (and 5.x before 5.3 likewise),
        /// so a caller must not treat a silent stream as a failure.
        public func stream(_ request: HTTP.Request) -> AsyncThrowingStream<HTTP.StreamPart, Error> {
            let socketPath = self.socketPath
            let connectTimeout = self.connectTimeout
            return AsyncThrowingStream { continuation in
                let context = TransferContext(deliver: { part in continuation.yield(part) })
                continuation.onTermination = { _ in context.cancel() }
                workers.submit { handle in
                    let failure = CurlTransfer.perform(
                        request, socketPath: socketPath, connectTimeout: connectTimeout, handle: handle,
                        context: context)
                    return { continuation.finish(throwing: failure) }
                }
            }
        }
    }
}
