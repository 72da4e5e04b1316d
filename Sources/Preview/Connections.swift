import Concurrency
import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many connections the preview keeps open, so that no page or program can use up its file
/// descriptors (each connection holds one; a rebuild needs some to read the site):
/// - in all, the descriptor limit (`ulimit -n`) less a reserve; past that, new connections wait in
///   the system's queue, unaccepted, until others close;
/// - per client address, fewer; past that, a new connection is closed at once;
/// - a connection that has not sent a whole request head within `idleTimeout` of opening, or of
///   its last response, is closed (half-sent requests, idle keep-alive connections). An event
///   stream being answered is not idle.
public struct ConnectionLimits: Sendable {
    public var total: Int
    public var perAddress: Int
    public var idleTimeout: TimeAmount
    /// The descriptor limit the numbers come from, for the warning.
    public var descriptorLimit: Int

    public init(total: Int, perAddress: Int, idleTimeout: TimeAmount = .seconds(10), descriptorLimit: Int) {
        self.total = total
        self.perAddress = perAddress
        self.idleTimeout = idleTimeout
        self.descriptorLimit = descriptorLimit
    }

    /// From this process's descriptor limit: an eighth of it (at least 24) is kept for the rest of
    /// the program, at most 128 connections per address.
    public static func fromDescriptorLimit() -> ConnectionLimits {
        let limit = descriptorLimit()
        let total = max(4, limit - max(24, limit / 8))
        return ConnectionLimits(total: total, perAddress: min(total, 128), descriptorLimit: limit)
    }

    /// The soft limit on open file descriptors (`ulimit -n`).
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        #else
        guard getrlimit(RLIMIT_NOFILE, &limit) == 0 else { return 1024 }
        #endif
        return Int(min(limit.rlim_cur, 1 << 20))
    }

    /// Writes a warning line on stderr.
    public static func printWarning(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    func totalReached() -> String {
        "\(total) connections are open, as many as the file descriptor limit (ulimit -n \(descriptorLimit)) leaves room for; "
            + "new ones wait until some close. Close preview tabs you do not need, or raise the limit (ulimit -n 4096) and restart guidegen serve"
    }

    func addressReached(_ address: String) -> String {
        "\(perAddress) connections from \(address) are open, the most one client may hold; newer ones are closed. "
            + "Close preview tabs you do not need"
    }
}

/// Says each warning once.
final class OnceWarnings: Sendable {
    private let said = Locked<Set<String>>([])
    private let say: @Sendable (String) -> Void

    init(_ say: @escaping @Sendable (String) -> Void) {
        self.say = say
    }

    /// `key` names the kind of warning; the text is said only the first time.
    func once(_ key: String, _ text: @autoclosure () -> String) {
        guard said.withLock({ $0.insert(key).inserted }) else { return }
        say(text())
    }
}

/// The limit on all connections: Hummingbird stops accepting while it is reached.
struct TotalConnections: AvailableConnectionsDelegate {
    let limits: ConnectionLimits
    let warnings: OnceWarnings
    var open = 0

    mutating func connectionOpened() { open += 1 }
    mutating func connectionClosed() { open -= 1 }

    func isAcceptingNewConnections() -> Bool {
        guard open >= limits.total else { return true }
        warnings.once("total", limits.totalReached())
        return false
    }
}

/// Open connections per client address.
final class AddressCounts: Sendable {
    private let counts = Locked<[String: Int]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection from `address`; false (and not counted) when it has too many.
    func open(_ address: String) -> Bool {
        counts.withLock { counts in
            let count = counts[address, default: 0]
            guard count < limit else { return false }
            counts[address] = count + 1
            return true
        }
    }

    func close(_ address: String) {
        counts.withLock { counts in
            let count = counts[address, default: 1] - 1
            counts[address] = count > 0 ? count : nil
        }
    }
}

/// Closes a new connection whose client address already has `perAddress` open, and counts the others
/// until they close. One per connection, added when it opens.
final class PerAddressLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Any
    let counts: AddressCounts
    let limits: ConnectionLimits
    let warnings: OnceWarnings
    private var counted: String?

    init(counts: AddressCounts, limits: ConnectionLimits, warnings: OnceWarnings) {
        self.counts = counts
        self.limits = limits
        self.warnings = warnings
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "an unknown address"
        if counts.open(address) {
            counted = address
        } else {
            warnings.once("address " + address, limits.addressReached(address))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let counted { counts.close(counted) }
        counted = nil
    }
}
