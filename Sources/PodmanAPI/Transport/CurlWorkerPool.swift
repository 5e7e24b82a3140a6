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
    // `pendingJob` and `retired` are written by the one submitter that holds this worker (a worker is
    // handed out from the idle list to one submitter at a time) before `hasWork` is set with release
    // ordering, and read by the worker only after it sees `hasWork` with acquire ordering.
    private var pendingJob: CurlWorkerPool.Job?
    private var retired = false
    private let hasWork = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private weak var pool: CurlWorkerPool?

    /// How many times an idle worker checks for new work, yielding its core in between, before it sleeps.
    /// A caller issuing requests one after another sends the next within microseconds; catching it here
    /// saves the futex sleep and wake-up, a large part of a ping's cost (docs/benchmarks.md).
    private static let spinsBeforeSleep = 64

    init(pool: CurlWorkerPool) {
        self.pool = pool
        let thread = Thread { [self] in self.loop() }
        thread.name = "podstack-curl"
        thread.start()
    }

    func run(_ job: @escaping CurlWorkerPool.Job) {
        pendingJob = job
        hasWork.store(true, ordering: .releasing)
        wake.signal()
    }

    func retire() {
        retired = true
        hasWork.store(true, ordering: .releasing)
        wake.signal()
    }

    private func loop() {
        guard let handle = CurlEasyHandle() else { return }
        while true {
            var spins = 0
            while !hasWork.load(ordering: .acquiring) {
                if spins < Self.spinsBeforeSleep {
                    spins += 1
                    sched_yield()
                } else {
                    wake.wait()
                }
            }
            // Each `run` also signalled the semaphore; a job taken while spinning leaves one count
            // behind, which a later `wait` consumes and the `hasWork` check above ignores.
            hasWork.store(false, ordering: .relaxed)
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
