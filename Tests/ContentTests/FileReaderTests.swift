import Content
import Foundation
import Testing

@Suite struct FileReaderTests {
    @Test(arguments: [0, 1, 4095, 4096, 65_537, 1 << 20])
    func readsEveryByte(_ size: Int) throws {
        let path = NSTemporaryDirectory() + "guidegen-reader-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(try FileReader.read(path).get() == bytes)
    }

    /// A file over the limit is not read: its size is said instead.
    @Test func aFileOverTheLimitIsNotRead() throws {
        let path = NSTemporaryDirectory() + "guidegen-reader-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 7, count: 1001).write(to: URL(fileURLWithPath: path))
        let refused = FileReader.read(path, maximumBytes: 1000)
        #expect(refused.failure?.size == 1001)
        #expect(refused.failure?.code == EFBIG)
        #expect(try FileReader.read(path, maximumBytes: 1001).get().count == 1001)
    }

    @Test func saysWhyAFileCannotBeRead() {
        let missing = FileReader.read(NSTemporaryDirectory() + "guidegen-no-such-file-" + UUID().uuidString)
        #expect(missing.failure?.isMissing == true)
        #expect(missing.failure?.reason == "No such file or directory")
        let folder = FileReader.read(NSTemporaryDirectory())
        #expect(folder.failure?.reason == "Is a directory")
        #expect(folder.failure?.isMissing == false)
    }
}

private extension Result {
    var failure: Failure? {
        if case let .failure(failure) = self { return failure }
        return nil
    }
}
