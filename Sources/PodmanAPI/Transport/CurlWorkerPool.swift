import CCurl
import Dispatch
import Foundation
import Synchronization

/// Threads of their own for blocking libcurl calls, one pool per transport.
///
/// `curl_easy_perform` blocks its thread for the whole transfer, which for `wait`, log follows and pulls can
/// be minutes. Swift's cooperative pool has one thread per core (two here), so running transfers there
/// would starve every other task. Each worker owns one easy handle (libcurl keeps the handle's connection
/// alive between requests), sleeps on a semaphore while idle, and goes back to the idle list when its job
/// ends. The pool grows to the peak number of concurrent transfers; its workers end with it. Guarded by
/// `ClientIntegrationTests.pingAnswersWhileTwentyWaitsBlock` and `TransportFailureTests.keepAlive`.
final class CurlWorkerPool: Sendable {
    /// A transfer to run on a worker's thread. It returns what to do once the worker is idle again
    /// (resume the waiting task): the worker checks itself in first, so that the waiter's next request
    /// finds this same worker, and its open connection, idle.
    typealias Job = @Sendable (CurlEasyHandle) -> (@Sendable () -> Void)

    private let idleWorkers = Mutex<[CurlWorker]>([])

    /// libcurl's global state must be set up once, before any thread uses it; it is not thread-safe itself.
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    init() {
        Self.globalInit
    }

    deinit {
        for worker in idleWorkers.withLock({ $0 }) { worker.retire() }
    }

    /// Runs `job` on an idle worker's thread, or on a new worker when all are busy.
    func submit(_ job: @escaping Job) {
        let reused = idleWorkers.withLock { $0.popLast() }
        let worker = reused ?? CurlWorker(pool: self)
        worker.run(job)
    }

    fileprivate func checkIn(_ worker: CurlWorker) {
        idleWorkers.withLock { $0.append(worker) }
    }
}

/// One thread and one easy handle.
private final class CurlWorker: @unchecked Sendable {
    // `pendingJob` and `retired` are written before `wake.signal()` and read after `wake.wait()`; the
    // semaphore orders the two, and a worker is handed to one submitter at a time.
    private var pendingJob: CurlWorkerPool.Job?
    private var retired = false
    private let wake = DispatchSemaphore(value: 0)
    private weak var pool: CurlWorkerPool?

    init(pool: CurlWorkerPool) {
        self.pool = pool
        let thread = Thread { [self] in self.loop() }
        thread.name = "podstack-curl"
        thread.start()
    }

    func run(_ job: @escaping CurlWorkerPool.Job) {
        pendingJob = job
        wake.signal()
    }

    func retire() {
        retired = true
        wake.signal()
    }

    private func loop() {
        guard let handle = CurlEasyHandle() else { return }
        while true {
            wake.wait()
            if retired { return }
            guard let job = pendingJob else { continue }
            pendingJob = nil
            let finish = job(handle)
            guard let pool else {
                finish()
                return
            }
            pool.checkIn(self)
            finish()
        }
    }
}

/// A libcurl easy handle, used by one thread at a time.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        raw = handle
    }

    deinit { curl_easy_cleanup(raw) }
}
