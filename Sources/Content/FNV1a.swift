import Foundation

/// FNV-1a, 64 bits: stable names for what a build writes (the search index's version, the theme's
/// fingerprinted assets), for cache busting, not security.
public struct FNV1a: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ data: Data) {
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                state ^= UInt64(byte)
                state &*= 0x100_0000_01b3
            }
        }
    }

    /// 16 hex digits.
    public var hex: String {
        let text = String(state, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
