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
        self.maximumRedirects = maximumRedirects
        self.userAgent = userAgent
    }

    /// The result of every address (without its `#fragment`, which no server sees), checked `concurrency` at a time.
    public func check(_ urls: [String]) async -> [String: LinkResult] {
        let session = makeSession()
        defer { session.finishTasksAndInvalidate() }
        var results: [String: LinkResult] = [:]
        await withTaskGroup(of: (String, LinkResult).self) { group in
            var pending = urls.makeIterator()
            func addNext() -> Bool {
                guard let url = pending.next() else { return false }
                group.addTask { (url, await self.check(url, session: session)) }
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

    /// `check` for callers that are not async (the command line): waits for it on another thread.
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
        var permanent = false
        for _ in 0...maximumRedirects {
            let answer = await fetch(current, session: session)
            guard case let .status(status, location) = answer else {
                if case let .failure(reason) = answer { return LinkResult(verdict: .unreachable, reason: reason) }
                return LinkResult(verdict: .unreachable, reason: "no answer")
            }
            if (300..<400).contains(status), status != 304 {
                guard let location, let next = URL(string: location, relativeTo: current)?.absoluteURL,
                      next.scheme == "http" || next.scheme == "https" else {
                    return LinkResult(verdict: .broken, status: status, reason: "\(Self.describe(status)) to no usable address")
                }
                if trail.contains(next.absoluteString) {
                    return LinkResult(verdict: .broken, status: status, reason: "redirect loop: " + (trail + [next.absoluteString]).joined(separator: " -> "))
                }
                permanent = permanent || status == 301 || status == 308
                trail.append(next.absoluteString)
                current = next
                continue
            }
            if (200..<300).contains(status) {
                return permanent
                    ? LinkResult(verdict: .moved, status: status, location: current.absoluteString, reason: "moved permanently to \(current.absoluteString)")
                    : LinkResult(verdict: .ok, status: status, reason: Self.describe(status))
            }
            return LinkResult(verdict: .broken, status: status, reason: Self.describe(status))
        }
        return LinkResult(verdict: .broken, reason: "more than \(maximumRedirects) redirects: " + trail.prefix(4).joined(separator: " -> ") + " -> ...")
    }

    enum Answer {
        case status(Int, location: String?)
        case failure(String)
    }

    /// One request without following redirects: HEAD, then GET when HEAD got an error status or a broken answer
    /// (many servers refuse or mishandle HEAD); not after a timeout or a refused connection, which GET would repeat.
    func fetch(_ url: URL, session: URLSession) async -> Answer {
        let head = await request(url, method: "HEAD", session: session)
        switch head {
        case let .status(status, _) where status < 400:
            return head
        case let .failure(reason) where reason.hasPrefix("no answer") || reason.hasPrefix("could not connect") || reason.hasPrefix("unknown host"):
            return head
        default:
            return await request(url, method: "GET", session: session)
        }
    }

    func request(_ url: URL, method: String, session: URLSession) async -> Answer {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("*/*", forHTTPHeaderField: "Accept")
        do {
            let (_, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { return .failure("not an HTTP answer") }
            return .status(http.statusCode, location: http.value(forHTTPHeaderField: "Location"))
        } catch {
            return .failure(Self.describe(error as NSError, timeout: timeout))
        }
    }

    func makeSession() -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        configuration.httpMaximumConnectionsPerHost = 2
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        return URLSession(configuration: configuration, delegate: RedirectsNotFollowed(), delegateQueue: nil)
    }

    static func describe(_ status: Int) -> String {
        let text = HTTPURLResponse.localizedString(forStatusCode: status)
        return text.isEmpty ? "\(status)" : "\(status) " + text.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    static func describe(_ error: NSError, timeout: TimeInterval) -> String {
        switch error.code {
        case NSURLErrorTimedOut: return "no answer within \(Int(timeout.rounded(.up))) s"
        case NSURLErrorCannotConnectToHost, NSURLErrorNetworkConnectionLost, NSURLErrorNotConnectedToInternet:
            return "could not connect (\(error.localizedDescription))"
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return "unknown host (\(error.localizedDescription))"
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
             NSURLErrorServerCertificateNotYetValid, NSURLErrorServerCertificateHasUnknownRoot:
            return "its secure connection failed (\(error.localizedDescription))"
        default: return "the request failed (\(error.localizedDescription))"
        }
    }
}

/// The session's delegate: every redirect is handed back as the answer, so `LinkChecker` follows each hop itself.
final class RedirectsNotFollowed: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
