import CCurl
import Dispatch
import Foundation
import Synchronization

/// Threads of their own for blocking libcurl calls, one pool per transport; also a `TaskExecutor`.
///
/// `curl_easy_perform` blocks its thread for the whole transfer, which for `wait`, log follows and pulls can
/// be minutes. Swift's cooperative pool has one thread per core (two here), so running transfers there
/// would starve every other task. Each worker owns one easy handle (libcurl keeps the handle's connection
/// alive between requests), sleeps on a semaphore while idle, and goes back to the idle list when its job
/// ends. The pool grows with demand up to `maxWorkers`; its workers end with it.
///
/// A request from the cooperative pool costs two thread hops (to a worker, and the waiter's resumption
/// back), about as long as the request itself on a local socket. Code that runs with this pool as its
/// task executor preference (`withTaskExecutorPreference(client.executor)`, as the command line does) is
/// already on a worker, which then performs the transfer itself, with no hop at all: blocking a thread
/// of this pool is what it is for. Guarded by `ClientIntegrationTests.pingAnswersWhileTwentyWaitsBlock`,
/// `TransportFailureTests.keepAlive` and `TransportFailureTests.onClientExecutor`.
final class CurlWorkerPool: TaskExecutor, Sendable {
    /// A transfer (or a Swift job) to run on a worker's thread. It returns what to do once the worker is
    /// idle again (resume the waiting task): the worker checks itself in first, so that the waiter's next
    /// request finds this same worker, and its open connection, idle. The handle is nil while libcurl
    /// cannot make one (out of memory); a transfer then fails with `.noCurlHandle`.
    typealias Job = @Sendable (CurlEasyHandle?) -> (@Sendable () -> Void)

    /// Beyond this many threads, work waits for a worker to come free. Only long transfers (pulls, log
    /// follows) hold a worker for long, and nothing in podstack runs that many at once.
    static let maxWorkers = 64

    private struct State {
        var idle: [CurlWorker] = []
        var pending: [Job] = []
        var workerCount = 0
    }
    private let state = Mutex(State())

    /// libcurl's global state must be set up once, before any thread uses it; it is not thread-safe itself.
    /// Should it fail, `curl_easy_init` fails too, and every request says so (`.noCurlHandle`).
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    init() {
        Self.globalInit
    }

    deinit {
        for worker in state.withLock({ $0.idle }) { worker.retire() }
    }

    /// Runs `job` on an idle worker's thread, on a new worker when all are busy, or, at `maxWorkers`,
    /// on the first worker to come free.
    func submit(_ job: @escaping Job) {
        enum Placement {
            case idle(CurlWorker)
            case new
            case queued
        }
        let placement = state.withLock { state -> Placement in
            if let worker = state.idle.popLast() { return .idle(worker) }
            if state.workerCount < Self.maxWorkers {
                state.workerCount += 1
                return .new
            }
            state.pending.append(job)
            return .queued
        }
        switch placement {
        case .idle(let worker): worker.run(job)
        case .new: CurlWorker(pool: self).run(job)
        case .queued: break
        }
    }

    /// A worker's job ended: the next queued job, or nil after checking the worker in as idle.
    fileprivate func nextJob(for worker: CurlWorker) -> Job? {
        state.withLock { state in
            if !state.pending.isEmpty { return state.pending.removeFirst() }
            state.idle.append(worker)
            return nil
        }
    }

    // MARK: TaskExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        submit { _ in
            job.runSynchronously(on: executor)
            return {}
        }
    }

    /// The worker of this pool whose thread is the current one, if any.
    var currentWorker: CurlWorker? {
        guard let worker = CurlWorker.current, worker.poolIdentity == ObjectIdentifier(self) else { return nil }
        return worker
    }
}

/// One thread and one easy handle.
final class CurlWorker: @unchecked Sendable {
    // Safe without a lock: `pendingJob` and `retired` are written before `wake.signal()` and read after
    // `wake.wait()`, which orders the two, and a worker is handed to one submitter at a time.
    private var pendingJob: CurlWorkerPool.Job?
    private var retired = false
    // Safe without a lock: only the worker's own thread makes and uses its handle.
    private var madeHandle: CurlEasyHandle?
    private let wake = DispatchSemaphore(value: 0)
    fileprivate weak var pool: CurlWorkerPool?
    /// Which pool this worker belongs to, compared on every request: a weak load of `pool` there would
    /// touch the pool's reference count from every worker thread at once.
    let poolIdentity: ObjectIdentifier

    init(pool: CurlWorkerPool) {
        self.pool = pool
        self.poolIdentity = ObjectIdentifier(pool)
        let thread = Thread { [self] in self.loop() }
        thread.name = "podstack-curl"
        thread.start()
    }

    /// The worker's easy handle, made on its first transfer; nil while libcurl cannot make one (out of
    /// memory), and tried again at the next. Called on the worker's own thread only.
    var handle: CurlEasyHandle? {
        if madeHandle == nil { madeHandle = CurlEasyHandle() }
        return madeHandle
    }

    func run(_ job: @escaping CurlWorkerPool.Job) {
        pendingJob = job
        wake.signal()
    }

    func retire() {
        retired = true
        wake.signal()
    }

    /// The worker whose thread this is (a thread-specific value set when its loop starts).
    // Safe unretained: the value is set only while the worker's loop, which keeps it alive, runs.
    static var current: CurlWorker? {
        pthread_getspecific(currentKey).map { Unmanaged<CurlWorker>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private func loop() {
        // Unretained: the loop itself keeps `self` alive for as long as the thread runs.
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.currentKey, nil) }
        while true {
            wake.wait()
            if retired { return }
            guard var job = pendingJob else { continue }
            pendingJob = nil
            while true {
                let finish = job(handle)
                guard let pool else {
                    finish()
                    return
                }
                let next = pool.nextJob(for: self)
                finish()
                guard let queued = next else { break }
                job = queued
            }
        }
    }
}
