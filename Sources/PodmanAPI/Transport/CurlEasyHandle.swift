import CCurl
import Foundation

/// A libcurl easy handle, used by one thread at a time (its worker's), with what its options were last set
/// to, so that a request sets only what differs from the last one (`prepare`, `CurlTransfer.configure`).
/// A reset keeps the handle's open connection, which is what makes keep-alive work across requests.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    var configuredSocket: String?
    var configuredConnectTimeout = Duration.zero
    var configuredTarget: String?
    var timeout = RememberedOption<Duration?>()
    var headerList = RememberedOption<UnsafeMutablePointer<curl_slist>?>()
    var userdata = RememberedOption<UnsafeMutableRawPointer>()
    var headerUserdata = RememberedOption<UnsafeMutableRawPointer?>()
    var lastMethod: Podman.HTTP.Request.Method?
    /// The transfer state of requests run in place (`performInPlace`).
    let inPlaceContext = TransferContext(runsInSendingTask: true)
    /// Header lists by their Content-Type; libcurl reads them during each transfer, so they live as long as
    /// the handle.
    var headerLists: [String: UnsafeMutablePointer<curl_slist>] = [:]
    var plainHeaderList: UnsafeMutablePointer<curl_slist>?
    var oneOffHeaderList: UnsafeMutablePointer<curl_slist>?

    /// Nil when libcurl cannot make a handle (it is out of memory).
    init?() {
        guard let handle = curl_easy_init() else { return nil }
        raw = handle
    }

    deinit {
        curl_easy_cleanup(raw)
        for list in headerLists.values { curl_slist_free_all(list) }
        plainHeaderList.map { curl_slist_free_all($0) }
        oneOffHeaderList.map { curl_slist_free_all($0) }
    }

    /// Sets what stays the same from request to request once per handle, and resets the handle only when
    /// the last request left a method option behind, or the socket or connect timeout changed.
    func prepare(
        socketPath: String, connectTimeout: Duration, method: Podman.HTTP.Request.Method
    ) throws(CurlOptionRefused) {
        // HEAD (NOBODY) and DELETE (CUSTOMREQUEST) leave options behind that only a reset clears for sure.
        let methodLeftOptions = lastMethod == .head || lastMethod == .delete
        if configuredSocket != socketPath || configuredConnectTimeout != connectTimeout || methodLeftOptions {
            curl_easy_reset(raw)
            forgetOptions()
            try set(CURLOPT_UNIX_SOCKET_PATH, socketPath)
            // Worker threads must not get SIGALRM from libcurl's resolver timeouts.
            try set(CURLOPT_NOSIGNAL, 1)
            try set(CURLOPT_CONNECTTIMEOUT_MS, CurlTransfer.milliseconds(connectTimeout))
            try set(CURLOPT_WRITEFUNCTION, curlWriteCallback)
            // The progress callback is how a cancelled task stops a blocked transfer; libcurl calls it about
            // once a second while idle, so cancelling a silent stream takes up to a second.
            try set(CURLOPT_NOPROGRESS, 0)
            try set(CURLOPT_XFERINFOFUNCTION, curlProgressCallback)
            configuredSocket = socketPath
            configuredConnectTimeout = connectTimeout
        } else if lastMethod == .post && method != .post {
            // Out of POST mode (libcurl then ignores the POST fields it copied); HEAD and DELETE set their
            // own option on top of this.
            try set(CURLOPT_HTTPGET, 1)
        }
        lastMethod = method
    }

    /// What this handle's options were set to is unknown after `curl_easy_reset`, or after an option was
    /// refused half-way through a request's setup: each is set again.
    func forgetOptions() {
        configuredSocket = nil
        configuredTarget = nil
        timeout.forget()
        headerList.forget()
        userdata.forget()
        headerUserdata.forget()
        lastMethod = nil
    }

    /// The request's URL, set only when it differs from the last one's (a poll asks the same path again
    /// and again). The host is a placeholder: the socket decides where the request goes. libcurl copies it.
    func setTarget(of request: Podman.HTTP.Request) throws(CurlOptionRefused) {
        if request.query.isEmpty, configuredTarget == request.path { return }
        var url = Array("http://d".utf8)
        request.appendTarget(to: &url)
        url.append(0)
        let code = url.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { podstack_curl_setopt_string(raw, CURLOPT_URL, $0.baseAddress) }
        }
        try CurlOptionRefused.check(code, CURLOPT_URL)
        // Only a path without a query is remembered: comparing queries would cost what building them does.
        configuredTarget = request.query.isEmpty ? request.path : nil
    }

    /// One request run in place, on the thread that owns this handle, with the handle's own transfer state.
    func performInPlace(
        _ request: Podman.HTTP.Request, socketPath: String, connectTimeout: Duration
    ) throws(PodmanError) -> Podman.HTTP.Response {
        let context = inPlaceContext
        context.reuse()
        // The body belongs to the response: the worker does not keep it until its next request.
        defer { context.received.body = Data() }
        if let failure = CurlTransfer.perform(
            request, socketPath: socketPath, connectTimeout: connectTimeout, handle: self, context: context)
        {
            throw failure
        }
        return context.response
    }
}

/// An option's value as last set on a handle. `set(to:)` says whether it must be set (again): nothing is
/// known until the first time, or after `forget()` (a `curl_easy_reset`).
struct RememberedOption<Value: Equatable> {
    private var value: Value?
    private var known = false

    mutating func set(to newValue: Value) -> Bool {
        if known, value == newValue { return false }
        value = newValue
        known = true
        return true
    }

    mutating func forget() { known = false }
}
