import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which requests the preview answers: only those that name the preview itself in their Host
/// header, so that a page on another domain whose name is made to point at this machine (DNS
/// rebinding) cannot read it; and, on the live-reload stream, only the preview's own pages.
///
/// Allowed hosts, with any port or none: `localhost`, `127.0.0.1`, `[::1]`, the address given to
/// `--host` and every `--allowed-host` name. Listening on every interface (`0.0.0.0` or `::`), any
/// IP address is allowed too (a rebinding attack needs a DNS name), but names still must be allowed.
public struct PreviewAccess: Sendable {
    /// Lowercased host names (IPv6 addresses without brackets).
    let names: Set<String>
    /// Listening on every interface: IP-literal hosts are allowed.
    let anyAddress: Bool

    /// - Parameters:
    ///   - listening: the address the server binds (`--host`).
    ///   - allowed: further names (`--allowed-host`), with or without a port.
    public init(listening: String, allowed: [String] = []) {
        let wildcard = ["0.0.0.0", "::", "[::]", ""].contains(listening)
        var names: Set<String> = ["localhost", "127.0.0.1", "::1"]
        for name in (wildcard ? [] : [listening]) + allowed {
            names.insert(Self.split(name)?.host ?? name.lowercased())
        }
        self.names = names
        anyAddress = wildcard
    }

    /// Host and port of a Host header (`name`, `name:80`, `[::1]:80`); nil when it is not of that form.
    static func split(_ authority: String) -> (host: String, port: String?)? {
        let text = authority.lowercased()
        var host: Substring
        var rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            rest = text[text.index(after: close)...]
        } else if let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            rest = text[colon...]
        } else {
            host = Substring(text)
            rest = ""
        }
        var port: String?
        if !rest.isEmpty {
            guard rest.first == ":", rest.count > 1, rest.count <= 6, rest.dropFirst().allSatisfy(\.isASCII), rest.dropFirst().allSatisfy(\.isNumber) else { return nil }
            port = String(rest.dropFirst())
        }
        guard !host.isEmpty else { return nil }
        return (String(host), port)
    }

    /// True when a request with this Host header may be answered.
    public func allows(host authority: String?) -> Bool {
        guard let authority, let (host, _) = Self.split(authority) else { return false }
        if names.contains(host) { return true }
        return anyAddress && Self.isIPAddress(host)
    }

    /// True when the live-reload stream may be opened for a request (whose Host is allowed) with
    /// this Origin and Sec-Fetch-Site: only a page of the same origin (browsers send no Origin on a
    /// same-origin EventSource, and `same-origin` in Sec-Fetch-Site), or a tool that sends neither.
    public func allowsEvents(host authority: String, origin: String?, fetchSite: String?) -> Bool {
        if let fetchSite, !["same-origin", "none"].contains(fetchSite.lowercased()) { return false }
        guard let origin else { return true }
        return origin.lowercased() == "http://" + authority.lowercased()
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// The answer to a request whose Host is not allowed: what to do to allow it.
    static func refusedHost(_ authority: String?) -> PreviewResponse {
        let name = authority.flatMap { Self.split($0)?.host } ?? authority ?? ""
        let text = authority == nil
            ? "guidegen serve answers only requests that name it in a Host header.\n"
            : "guidegen serve answers only requests for its own address, not for host \"\(name)\" "
                + "(this protects the preview from other sites' pages).\n"
                + "To allow this name, start it with --allowed-host \(name)\n"
        return PreviewResponse(status: 403, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
                               body: .data(Data(text.utf8)))
    }

    /// The answer to an event-stream request from another origin.
    static func refusedOrigin() -> PreviewResponse {
        PreviewResponse(status: 403, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
                        body: .data(Data("The live-reload stream is only for the preview's own pages.\n".utf8)))
    }
}
