import Diagnostics
import Foundation
import Site

/// A site folder made for one test, removed when the test ends.
final class TempSite {
    let directory: String

    init(copying fixture: String? = nil, files: [String: String] = [:]) throws {
        directory = NSTemporaryDirectory() + "guidegen-test-" + UUID().uuidString
        if let fixture {
            try FileManager.default.copyItem(atPath: Fixtures.path(fixture), toPath: directory)
        } else {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        let full = directory + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    var output: String { directory + "/public" }

    func build(output: String? = nil, baseURL: String? = nil) -> BuildReport {
        SiteBuilder.build(BuildOptions(source: directory, output: output ?? self.output, baseURL: baseURL))
    }

    func check() -> BuildReport {
        SiteBuilder.build(BuildOptions(source: directory, output: nil))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

enum Fixtures {
    static func path(_ name: String) -> String {
        Bundle.module.resourcePath! + "/Fixtures/" + name
    }

    /// The source folder of the fixtures, for updating golden files.
    static var sourceDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }
}

/// Every file under a folder with its bytes, by relative path.
func snapshot(_ directory: String) -> [String: Data] {
    var result: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return result }
    while let path = enumerator.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
            result[path] = FileManager.default.contents(atPath: directory + "/" + path)
        }
    }
    return result
}
