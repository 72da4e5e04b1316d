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
        /// With `EFBIG`: the file's size, over the limit the read was given.
        public var size: Int64? = nil

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

    /// The file's bytes, or the errno of the open or read that failed. Read straight into a buffer of the
    /// file's size (no copy, no scratch buffer per file: a build reads ten thousand of them).
    /// - Parameter maximumBytes: a file larger than this, when opened or as it is read (it may grow), is not
    ///   read: `EFBIG`, with its size.
    public static func read(_ path: String, maximumBytes: Int64 = .max) -> Result<Data, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Failure(code: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Failure(code: errno)) }
        guard Int64(info.st_size) <= maximumBytes else { return .failure(Failure(code: EFBIG, size: Int64(info.st_size))) }
        // One byte more than the size, to see the end of the file in the same read when it has not grown.
        var capacity = max(Int(info.st_size), 0) + 1
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        var count = 0
        while true {
            if count == capacity {
                // The file grew while it was read: room for more.
                let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                larger.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let read = systemRead(fd, buffer + count, capacity - count)
            if read < 0 {
                if errno == EINTR { continue }
                let failure = Failure(code: errno)
                buffer.deallocate()
                return .failure(failure)
            }
            if read == 0 { break }
            count += read
            if Int64(count) > maximumBytes {
                buffer.deallocate()
                return .failure(Failure(code: EFBIG, size: Int64(count)))
            }
        }
        return .success(Data(bytesNoCopy: buffer, count: count, deallocator: .custom { pointer, _ in pointer.deallocate() }))
    }

    private static func systemRead(_ fd: Int32, _ pointer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, pointer, count)
        #else
        Darwin.read(fd, pointer, count)
        #endif
    }
}
