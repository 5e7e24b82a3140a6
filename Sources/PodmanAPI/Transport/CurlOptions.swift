import CCurl
import Foundation

/// libcurl refused an option: which one, and its code. `CurlTransfer` turns it into
/// `PodmanError.TransportFailure.optionRefused`.
struct CurlOptionRefused: Error {
    let option: CURLoption
    let code: CURLcode

    static func check(_ code: CURLcode, _ option: CURLoption) throws(CurlOptionRefused) {
        if code != CURLE_OK { throw CurlOptionRefused(option: option, code: code) }
    }

    /// The option's name as curl.h spells it, for the error message.
    var optionName: String { Self.names[option.rawValue] ?? "curl option \(option.rawValue)" }

    private static let names: [UInt32: String] = [
        CURLOPT_URL.rawValue: "CURLOPT_URL", CURLOPT_UNIX_SOCKET_PATH.rawValue: "CURLOPT_UNIX_SOCKET_PATH",
        CURLOPT_NOSIGNAL.rawValue: "CURLOPT_NOSIGNAL", CURLOPT_CONNECTTIMEOUT_MS.rawValue: "CURLOPT_CONNECTTIMEOUT_MS",
        CURLOPT_TIMEOUT_MS.rawValue: "CURLOPT_TIMEOUT_MS", CURLOPT_WRITEFUNCTION.rawValue: "CURLOPT_WRITEFUNCTION",
        CURLOPT_WRITEDATA.rawValue: "CURLOPT_WRITEDATA", CURLOPT_HEADERFUNCTION.rawValue: "CURLOPT_HEADERFUNCTION",
        CURLOPT_HEADERDATA.rawValue: "CURLOPT_HEADERDATA", CURLOPT_NOPROGRESS.rawValue: "CURLOPT_NOPROGRESS",
        CURLOPT_XFERINFOFUNCTION.rawValue: "CURLOPT_XFERINFOFUNCTION",
        CURLOPT_XFERINFODATA.rawValue: "CURLOPT_XFERINFODATA", CURLOPT_HTTPGET.rawValue: "CURLOPT_HTTPGET",
        CURLOPT_HTTPHEADER.rawValue: "CURLOPT_HTTPHEADER", CURLOPT_NOBODY.rawValue: "CURLOPT_NOBODY",
        CURLOPT_CUSTOMREQUEST.rawValue: "CURLOPT_CUSTOMREQUEST", CURLOPT_POST.rawValue: "CURLOPT_POST",
        CURLOPT_POSTFIELDSIZE_LARGE.rawValue: "CURLOPT_POSTFIELDSIZE_LARGE",
        CURLOPT_COPYPOSTFIELDS.rawValue: "CURLOPT_COPYPOSTFIELDS", CURLOPT_POSTFIELDS.rawValue: "CURLOPT_POSTFIELDS",
        CURLOPT_READFUNCTION.rawValue: "CURLOPT_READFUNCTION", CURLOPT_READDATA.rawValue: "CURLOPT_READDATA",
    ]
}

// One setter per C type of option value (the shim's fixed-signature wrappers), each checking libcurl's answer.
extension CurlEasyHandle {
    func set(_ option: CURLoption, _ value: Int) throws(CurlOptionRefused) {
        try CurlOptionRefused.check(podstack_curl_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String) throws(CurlOptionRefused) {
        try CurlOptionRefused.check(podstack_curl_setopt_string(raw, option, value), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(CurlOptionRefused) {
        try CurlOptionRefused.check(podstack_curl_setopt_pointer(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) throws(CurlOptionRefused) {
        try CurlOptionRefused.check(podstack_curl_setopt_slist(raw, option, value), option)
    }

    func set(_ option: CURLoption, offset value: curl_off_t) throws(CurlOptionRefused) {
        try CurlOptionRefused.check(podstack_curl_setopt_offset(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: podstack_curl_data_callback?) throws(CurlOptionRefused) {
        try CurlOptionRefused.check(podstack_curl_setopt_data_callback(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: podstack_curl_progress_callback?) throws(CurlOptionRefused) {
        try CurlOptionRefused.check(podstack_curl_setopt_progress_callback(raw, option, value), option)
    }

    /// The request's header list, kept on the handle for the common header sets (none but Content-Type).
    /// Without an explicit Content-Type libcurl sends x-www-form-urlencoded, and Go's ParseForm then eats
    /// the body (guarded by `ClientIntegrationTests.volumesAndSecrets`; `TransportFailureTests.methodsInTurn`
    /// checks the header each request sends). `Expect:` stops libcurl from waiting on 100-continue.
    func headerList(for request: Podman.HTTP.Request) -> UnsafeMutablePointer<curl_slist>? {
        func build() -> UnsafeMutablePointer<curl_slist>? {
            var list = curl_slist_append(nil, "Expect:")
            if let contentType = request.contentType { list = curl_slist_append(list, "Content-Type: \(contentType)") }
            for (name, value) in request.headers { list = curl_slist_append(list, "\(name): \(value)") }
            return list
        }
        guard request.headers.isEmpty else {
            // Requests with headers of their own (registry credentials) are rare; their list lives until the
            // next one of their kind.
            oneOffHeaderList.map { curl_slist_free_all($0) }
            oneOffHeaderList = build()
            return oneOffHeaderList
        }
        // Most requests send no Content-Type: their list is at hand without hashing a key. A request with no
        // body to send needs no list at all ("Expect:" is about bodies), which spares libcurl matching its own
        // headers against one.
        guard let key = request.contentType else {
            guard request.method == .post else { return nil }
            if plainHeaderList == nil { plainHeaderList = build() }
            return plainHeaderList
        }
        if let cached = headerLists[key] { return cached }
        let list = build()
        headerLists[key] = list
        return list
    }
}
