import Foundation

/// The benchmark's synthetic site generator, kept in the repository (`Tests/corpus/gen_corpus.py`, a
/// copy of `shared/bench/gen_corpus.py`) so the tests run from any clone.
public enum CorpusGenerator {
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../corpus/gen_corpus.py").standardized.path

    /// Writes a site of `roles` roles (4 pages each) into `directory`; returns the generator's exit status.
    public static func run(into directory: String, roles: Int, brokenLinks: Int = 0) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, directory, "--roles", "\(roles)", "--broken-links", "\(brokenLinks)"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
