import Foundation

/// `diff -u` of two texts, for golden tests: what an update changes is shown, never only applied.
public func unifiedDiff(old: Data, new: Data, oldLabel: String, newLabel: String) throws -> String {
    let directory = NSTemporaryDirectory() + "guidegen-golden-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try old.write(to: URL(fileURLWithPath: directory + "/old"))
    try new.write(to: URL(fileURLWithPath: directory + "/new"))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
    process.arguments = ["-u", "--label", oldLabel, "--label", newLabel, directory + "/old", directory + "/new"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self)
}
