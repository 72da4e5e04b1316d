import Concurrency
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What one web address answered, as `check --external` reports it.
public struct LinkResult: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        /// It answered 2xx (after temporary redirects, if any).
        case ok
        /// It answered 2xx after a permanent redirect (301, 308): the link works but should name the new address.
        case moved
        /// It answered with an error status, a redirect loop, too many redirects or a redirect nowhere.
        case broken
        /// No answer: a timeout, a refused connection, an unknown host, a TLS failure.
        case unreachable
    }

    public var verdict: Verdict
    /// The last HTTP status, if there was an answer.
    public var status: Int?
    /// Where a permanent redirect leads (`moved`): the address that answered.
    public var location: String?
    /// What happened, in words: `404 Not Found`, `redirect loop: a -> b -> a`, `no answer within 10 s`.
    public var reason: String

    /// Whether the answer is about the address and worth keeping a day: not about the host's state at the moment
    /// (no answer, 429 Too Many Requests, a 5xx server error).
    public var isLasting: Bool {
        verdict != .unreachable && status != 429 && (status ?? 0) < 500
    }

    public init(verdict: Verdict, status: Int? = nil, location: String? = nil, reason: String) {
        self.verdict = verdict
        self.status = status
        self.location = location
        self.reason = reason
    }
}

/// Fetches web addresses as a polite robot does: HEAD first, GET when HEAD is refused, a few at a time, each with a
/// timeout, following redirects itself (so it sees each hop: permanent ones are reported, loops are caught).
public struct LinkChecker: Sendable {
    /// Seconds an answer may take (each request), whole: URLSession on Linux (libcurl) counts whole seconds, and
    /// under one it gives up at once.
    public var timeout: TimeInterval {
        get { seconds }
        set { seconds = max(1, newValue.rounded(.up)) }
    }
    private var seconds: TimeInterval = 10
    /// Requests at once, over all hosts.
    public var concurrency: Int
    /// Redirects followed before giving up.
    public var maximumRedirects: Int
    public var userAgent: String

    public init(timeout: TimeInterval = 10, concurrency: Int = 4, maximumRedirects: Int = 10,
                userAgent: String = "guidegen-link-check/1 (checks the sources of a career guide site)") {
        self.seconds = max(1, timeout.rounded(.up))
        self.concurrency = max(1, concurrency)
        self.maximumRedirects = max(0, maximumRedirects)
        self.userAgent = userAgent
    }

    /// The result of every address (without its `#fragment`, which no server sees), checked `concurrency` at a time.
    public func check(_ urls: [String]) async -> [String: LinkResult] {
        let session = makeSession()
        defer { session.invalidateAndCancel() }
        let silent = SilentHosts()
        var results: [String: LinkResult] = [:]
        await withTaskGroup(of: (String, LinkResult).self) { group in
            var pending = urls.makeIterator()
            func addNext() -> Bool {
                guard let url = pending.next() else { return false }
                group.addTask {
                    let host = URL(string: url)?.host?.lowercased() ?? ""
                    if let given = silent.givenUp(host) { return (url, given) }
                    let result = await self.check(url, session: session)
                    silent.record(host, answered: result.verdict != .unreachable)
                    return (url, result)
                }
                return true
            }
            for _ in 0..<concurrency where !addNext() { break }
            while let (url, result) = await group.next() {
                results[url] = result
                _ = addNext()
            }
        }
        return results
    }

    /// `check` for callers that are not async (the command line): waits for it on another thread. Never call it
    /// from async code: it blocks its thread until the check is done.
    public func checkWaiting(_ urls: [String]) -> [String: LinkResult] {
        let box = Locked<[String: LinkResult]>([:])
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let results = await self.check(urls)
            box.withLock { $0 = results }
            done.signal()
        }
        done.wait()
        return box.value
    }

    /// One address, following redirects.
    func check(_ url: String, session: URLSession) async -> LinkResult {
        guard var current = URL(string: url), current.host?.isEmpty == false else {
            return LinkResult(verdict: .broken, reason: "not a web address guidegen can read")
        }
        var trail = [current.absoluteString]
        /// Where the last permanent redirect led: the address to write instead (later temporary hops are the host's).
        var permanentTarget: String?
        for _ in 0...maximumRedirects {
            let status: Int, location: String?
            switch await fetch(current, session: session) {
            case let .noAnswer(reason), let .failure(reason): return LinkResult(verdict: .unreachable, reason: reason)
            case let .status(code, to): (status, location) = (code, to)
            }
            if (300..<400).contains(status), status != 304 {
                guard let location, let next = URL(string: location, relativeTo: current)?.absoluteURL,
                      next.scheme == "http" || next.scheme == "https" else {
                    return LinkResult(verdict: .broken, status: status, reason: "\(Self.describe(status)) to no usable address")
                }
                if trail.contains(next.absoluteString) {
                    return LinkResult(verdict: .broken, status: status, reason: "redirect loop: " + (trail + [next.absoluteString]).joined(separator: " -> "))
                }
                if status == 301 || status == 308 { permanentTarget = next.absoluteString }
                trail.append(next.absoluteString)
                current = next
                continue
            }
            if (200..<300).contains(status) {
                guard let permanentTarget else { return LinkResult(verdict: .ok, status: status, reason: Self.describe(status)) }
                return LinkResult(verdict: .moved, status: status, location: permanentTarget, reason: "moved permanently to \(permanentTarget)")
            }
            return LinkResult(verdict: .broken, status: status, reason: Self.describe(status))
        }
        return LinkResult(verdict: .broken, reason: "more than \(maximumRedirects) redirects: " + trail.prefix(4).joined(separator: " -> ") + " -> ...")
    }

    enum Answer {
        case status(Int, location: String?)
        /// No answer from the host (a timeout, a refused or lost connection, an unknown host): GET would only repeat it.
        case noAnswer(String)
        /// Any other failure (a secure connection refused, an answer that is not HTTP).
        case failure(String)

        /// The status and `Location` of an answer's head, if it is an HTTP one.
        init?(head response: URLResponse?) {
            guard let http = response as? HTTPURLResponse else { return nil }
            self = .status(http.statusCode, location: http.value(forHTTPHeaderField: "Location"))
        }

        static func timedOut(_ timeout: TimeInterval) -> Answer {
            .noAnswer("no answer within \(Int(timeout.rounded(.up))) s")
        }

        /// What a failed request says, in words.
        init(_ error: NSError, timeout: TimeInterval) {
            switch error.code {
            case NSURLErrorTimedOut: self = .timedOut(timeout)
            case NSURLErrorCannotConnectToHost, NSURLErrorNetworkConnectionLost, NSURLErrorNotConnectedToInternet:
                self = .noAnswer("could not connect (\(error.localizedDescription))")
            case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: self = .noAnswer("unknown host (\(error.localizedDescription))")
            case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
                 NSURLErrorServerCertificateNotYetValid, NSURLErrorServerCertificateHasUnknownRoot:
                self = .failure("its secure connection failed (\(error.localizedDescription))")
            default: self = .failure("the request failed (\(error.localizedDescription))")
            }
        }
    }

    /// One request without following redirects: HEAD, then GET when HEAD got an error status or a broken answer
    /// (many servers refuse or mishandle HEAD); not after a timeout or a refused connection, which GET would repeat.
    func fetch(_ url: URL, session: URLSession) async -> Answer {
        let head = await request(url, method: "HEAD", session: session)
        switch head {
        case let .status(status, _) where status < 400:
            return head
        case .noAnswer:
            return head
        default:
            return await request(url, method: "GET", session: session)
        }
    }

    /// One request: its status and `Location` as soon as the head of the answer arrives; the body is never read
    /// (the task is cancelled then), so a link to a large file costs no more than a link to a page.
    func request(_ url: URL, method: String, session: URLSession) async -> Answer {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("*/*", forHTTPHeaderField: "Accept")
        guard let heads = session.delegate as? AnswerHeads else { return .failure("no session to ask with") }
        let timeout = self.timeout
        return await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request)
            heads.expect(task.taskIdentifier, continuation)
            task.resume()
            // Foundation's timeout on Linux is an idle timer, restarted by every byte: a host that sends its
            // answer's head a byte at a time would never time out. This one counts from the start.
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak task] in
                heads.giveUp(task?.taskIdentifier)
                task?.cancel()
            }
        }
    }

    func makeSession() -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        configuration.httpMaximumConnectionsPerHost = 2
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        return URLSession(configuration: configuration, delegate: AnswerHeads(timeout: timeout), delegateQueue: nil)
    }

    static func describe(_ status: Int) -> String {
        let text = HTTPURLResponse.localizedString(forStatusCode: status)
        return text.isEmpty ? "\(status)" : "\(status) " + text.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}

/// The session's delegate: hands each task's answer to the request waiting for it as soon as its head arrives
/// (status and headers), then cancels the task, so no body is read; every redirect is handed back as the answer,
/// so `LinkChecker` follows each hop itself.
final class AnswerHeads: NSObject, URLSessionDataDelegate, Sendable {
    /// The session's timeout, for what a timed-out request says.
    private let timeout: TimeInterval
    private let waiting = Locked<[Int: CheckedContinuation<LinkChecker.Answer, Never>]>([:])

    init(timeout: TimeInterval) {
        self.timeout = timeout
    }

    func expect(_ task: Int, _ continuation: CheckedContinuation<LinkChecker.Answer, Never>) {
        waiting.withLock { $0[task] = continuation }
    }

    /// The request of `task` (if still waiting) answered with a timeout.
    func giveUp(_ task: Int?) {
        guard let task else { return }
        answer(task) { .timedOut(timeout) }
    }

    /// Resumes the request of `task` once (later calls find nothing waiting).
    private func answer(_ task: Int, _ make: () -> LinkChecker.Answer) {
        guard let continuation = waiting.withLock({ $0.removeValue(forKey: task) }) else { return }
        continuation.resume(returning: make())
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        answer(dataTask.taskIdentifier) { LinkChecker.Answer(head: response) ?? .failure("not an HTTP answer") }
        completionHandler(.cancel)
        // Foundation on Linux does not act on `.cancel` here: the transfer would go on to the end of the body.
        dataTask.cancel()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        // An answer whose head did not come through `didReceive`, or none at all.
        answer(task.taskIdentifier) {
            LinkChecker.Answer(head: task.response) ?? error.map { LinkChecker.Answer($0 as NSError, timeout: timeout) } ?? .noAnswer("no answer")
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// Hosts that did not answer several requests in a row: their other addresses are not asked (each would wait for the
/// whole timeout again), and are reported as not answering.
final class SilentHosts: Sendable {
    /// Requests in a row without an answer after which a host is given up.
    static let limit = 3
    private let misses = Locked<[String: Int]>([:])

    func record(_ host: String, answered: Bool) {
        misses.withLock { $0[host] = answered ? 0 : ($0[host] ?? 0) + 1 }
    }

    func givenUp(_ host: String) -> LinkResult? {
        guard let count = misses.withLock({ $0[host] }), count >= Self.limit else { return nil }
        return LinkResult(verdict: .unreachable, reason: "not asked: \(host) did not answer \(count) requests in a row")
    }
}
