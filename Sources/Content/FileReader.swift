import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file and, when it cannot, says why (the system's reason), so that a file that
/// cannot be opened is never reported as a file that is not UTF-8.
public enum FileReader {
    /// Why a file could not be read: the errno of the call that failed.
    public struct Failure: Error, Sendable, Equatable {
        public let code: Int32

        public var reason: String { String(cString: strerror(code)) }
        /// True when the process (or the system) has no file descriptor left.
        public var isOutOfDescriptors: Bool { code == EMFILE || code == ENFILE }
        public var isMissing: Bool { code == ENOENT || code == ENOTDIR }

        /// What would fix it, for a diagnostic's hint.
        public var hint: String {
            if isOutOfDescriptors {
                return "too many files are open at once: raise the limit (for example `ulimit -n 4096`) or close what holds them (preview tabs), then save again"
            }
            return "check that the file exists and that its permissions let you read it"
        }
    }

    /// The file's bytes, or the errno of the open or read that failed.
    public static func read(_ path: String) -> Result<Data, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Failure(code: errno)) }
        defer { close(fd) }
        var data = Data()
        var info = stat()
        if fstat(fd, &info) == 0, info.st_size > 0 { data.reserveCapacity(Int(info.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(code: errno))
            }
            if count == 0 { return .success(data) }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    private static func systemRead(_ fd: Int32, _ pointer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, pointer, count)
        #else
        Darwin.read(fd, pointer, count)
        #endif
    }
}
