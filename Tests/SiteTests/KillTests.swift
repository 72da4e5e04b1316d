import Foundation
import Testing
import Output
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `guidegen build` killed (SIGKILL) at random moments, with the writer's files in the output: after each kill the
/// output is a whole site, old or new, and still holds the writer's files; the next build succeeds and keeps them.
@Suite struct KillTests {
    @Test func killedBuildsLoseNothing() throws {
        let site = try TempSite()
        try FileManager.default.removeItem(atPath: site.directory)
        #expect(try CorpusGenerator.run(into: site.directory, roles: 100) == 0)
        let output = site.directory + "/public"
        #expect(try build(site.directory, output).status == 0)
        try "guides.example.org".write(toFile: output + "/CNAME", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: output + "/.git/refs", withIntermediateDirectories: true)
        try "ref: refs/heads/main".write(toFile: output + "/.git/HEAD", atomically: false, encoding: .utf8)
        let began = Date()
        #expect(try build(site.directory, output).status == 0)
        let duration = Date().timeIntervalSince(began)
        var generator = SplitMix64(seed: 24)
        for round in 0..<10 {
            // Every round changes a page, so each build has something to write.
            try "---\ntitle: About \(round)\n---\nRound \(round).\n".write(toFile: site.directory + "/content/about.md", atomically: false, encoding: .utf8)
            let delay = Double(generator.next() % 1000) / 1000 * duration
            let process = try start(site.directory, output)
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try String(contentsOfFile: output + "/CNAME", encoding: .utf8) == "guides.example.org", "round \(round)")
            // A folder of the writer's is in the output, or (killed in the moment between carrying it into the new
            // site and the swap) in that site with the journal that puts it back, which the next build does first.
            let spare = site.directory + "/.public.guidegen-spare"
            let journal = site.directory + "/.public.guidegen-carry"
            let gitInOutput = FileManager.default.fileExists(atPath: output + "/.git/HEAD")
            #expect(gitInOutput || (FileManager.default.fileExists(atPath: spare + "/.git/HEAD") && FileManager.default.fileExists(atPath: journal)),
                    "round \(round)")
            if !gitInOutput {
                SiteWriter.recoverInterruptedWrite(output: output, siteDirectory: site.directory)
                #expect(FileManager.default.fileExists(atPath: output + "/.git/HEAD") && !FileManager.default.fileExists(atPath: journal), "round \(round): put back")
            }
            #expect(FileManager.default.fileExists(atPath: output + "/index.html"), "round \(round)")
            // A whole site: every file its marker lists is there.
            let marker = try String(contentsOfFile: output + "/.guidegen-output", encoding: .utf8)
            let listed = marker.split(separator: "\n").dropFirst()
            #expect(listed.count > 400, "round \(round)")
            #expect(listed.allSatisfy { FileManager.default.fileExists(atPath: output + "/" + $0) }, "round \(round)")
        }
        let last = try build(site.directory, output)
        #expect(last.status == 0, "\(last.err)")
        #expect(try String(contentsOfFile: output + "/about/index.html", encoding: .utf8).contains("Round 9."))
        #expect(try String(contentsOfFile: output + "/CNAME", encoding: .utf8) == "guides.example.org")
        #expect(FileManager.default.fileExists(atPath: output + "/.git/HEAD"))
        // Nothing of the writer's is left in guidegen's working folder.
        let spare = site.directory + "/.public.guidegen-spare"
        #expect(!FileManager.default.fileExists(atPath: spare + "/CNAME"))
        #expect(!FileManager.default.fileExists(atPath: spare + "/.git"))
    }

    private func start(_ source: String, _ output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: GuidegenCommand.binary)
        process.arguments = ["build", "--source", source, "--output", output]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func build(_ source: String, _ output: String) throws -> (status: Int32, err: String) {
        let result = try GuidegenCommand.run(["build", "--source", source, "--output", output])
        return (result.status, result.err)
    }
}
