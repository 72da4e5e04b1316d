import Foundation
import Testing
import TestSupport

/// `guidegen check --external` as a writer runs it, on a site whose addresses all point at the local test server.
@Suite struct CheckExternalCommandTests {
    /// The command, waited for off Swift's cooperative threads (the test server's tasks need them).
    func run(_ arguments: [String], in directory: String) async throws -> (status: Int32, out: String, err: String) {
        try await GuidegenCommand.runOffPool(arguments, in: directory)
    }

    /// A small site: its sources and Markdown links are the server's cases.
    func makeSite(base: String) throws -> String {
        let site = NSTemporaryDirectory() + "check-external-" + UUID().uuidString
        let files = [
            "guidegen.yml": "title: \"Links\"\nbase_url: \"https://example.org/\"\n",
            "content/index.md": "---\ntitle: \"Home\"\n---\nSee the [guide](guides/links.md) and [the same source](\(base)/gone).\n",
            "content/guides/links.md": """
                ---
                title: "Links"
                summary: "Where the figures come from."
                sources:
                  - {name: "Fine", url: "\(base)/ok"}
                  - {name: "Gone", url: "\(base)/gone"}
                ---
                Read [this](\(base)/moved#pay), [that](\(base)/missing) and ![a chart](\(base)/broken).

                A [slow one](\(base)/slow), a [loop](\(base)/loop) and [fine again](\(base)/ok#x).
                """,
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: site + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return site
    }

    @Test func warnsAtEachPlaceAndAsksEachHostOncePerDay() async throws {
        let server = TestServer()
        try await server.serving { base in
            let site = try makeSite(base: base)
            defer { try? FileManager.default.removeItem(atPath: site) }
            let plain = try await run(["check"], in: site)
            #expect(plain.status == 0)
            #expect(server.requests.total == 0, "without --external no host is asked")

            let first = try await run(["check", "--external", "--external-timeout", "5"], in: site)
            #expect(first.status == 0, "warnings only: \(first.err)")
            // Each at the place its address is written (the link's `[` in Markdown), whatever the server's port.
            func place(_ file: String, _ line: Int, _ written: String) throws -> String {
                let text = try String(contentsOfFile: site + "/" + file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
                let range = try #require(text.range(of: written))
                return "\(file):\(line):\(text.utf8.distance(from: text.startIndex, to: range.lowerBound) + 1)"
            }
            for (file, line, written, message) in [
                ("content/guides/links.md", 6, "\"\(base)/gone", "\(base)/gone answered 410 Gone"),  // the value, from its quote
                ("content/index.md", 4, "[the same source]", "\(base)/gone answered 410 Gone"),
                ("content/guides/links.md", 8, "[this]", "\(base)/moved has moved permanently to \(base)/ok"),
                ("content/guides/links.md", 8, "[that]", "\(base)/missing answered 404 Not Found"),
                ("content/guides/links.md", 8, "![a chart]", "\(base)/broken answered 500 Internal Server Error"),
                ("content/guides/links.md", 10, "[slow one]", "\(base)/slow: no answer within 5 s"),
                ("content/guides/links.md", 10, "[loop]", "\(base)/loop: redirect loop: \(base)/loop -> \(base)/loop-back -> \(base)/loop"),
            ] {
                let expected = "\(try place(file, line, written)): warning: \(message) [external-link]"
                #expect(first.err.contains(expected), "\(expected)\n\(first.err)")
            }
            #expect(!first.err.contains("\(base)/ok answered"), "a working link is not mentioned")
            #expect(first.out.contains(", 7 web addresses asked, 7 warnings"), "\(first.out)")
            #expect(FileManager.default.fileExists(atPath: site + "/.guidegen-cache/external-links.json"))

            let asked = server.requests.total
            let again = try await run(["check", "--external", "--strict", "--external-timeout", "5"], in: site)
            #expect(server.requests.total == asked + 3, "the answers of the last day are reused; the timeout and the 500 are asked again")
            #expect(server.requests["HEAD /slow"] == 2 && server.requests["HEAD /broken"] == 2 && server.requests["HEAD /missing"] == 1)
            #expect(again.status == 1, "--strict fails on them")
            #expect(again.err.contains("\(try place("content/guides/links.md", 8, "[that]")): error: \(base)/missing answered 404 Not Found [external-link]"), "\(again.err)")

            // The cache is guidegen's, in the site folder, and never published.
            #expect(try await run(["build"], in: site).status == 0)
            #expect(!FileManager.default.fileExists(atPath: site + "/public/.guidegen-cache"))
        }
    }

    /// `link_checker.skip_prefixes` in guidegen.yml: addresses that start so are neither asked nor reported; a prefix
    /// that is not an http(s) address is an error at its place.
    @Test func skipPrefixesAreNotAsked() async throws {
        let server = TestServer()
        try await server.serving { base in
            let site = try makeSite(base: base)
            defer { try? FileManager.default.removeItem(atPath: site) }
            let config = "title: \"Links\"\nbase_url: \"https://example.org/\"\nlink_checker:\n  skip_prefixes: [\"\(base)/b\", \"\(base)/slow\"]\n"
            try config.write(toFile: site + "/guidegen.yml", atomically: true, encoding: .utf8)
            let checked = try await run(["check", "--external"], in: site)
            #expect(checked.status == 0, "\(checked.err)")
            #expect(checked.err.contains("\(base)/missing answered 404"), "the others are still asked: \(checked.err)")
            #expect(!checked.err.contains("\(base)/broken") && !checked.err.contains("\(base)/slow"), "\(checked.err)")
            #expect(server.requests["HEAD /broken"] == 0 && server.requests["HEAD /slow"] == 0)

            try "title: \"Links\"\nbase_url: \"https://example.org/\"\nlink_checker: {skip_prefixes: [\"www.bls.gov\"]}\n"
                .write(toFile: site + "/guidegen.yml", atomically: true, encoding: .utf8)
            let wrong = try await run(["check"], in: site)
            #expect(wrong.status == 1)
            #expect(wrong.err.contains("guidegen.yml:3:32: error: each of `skip_prefixes` is the start of http(s) addresses, not `www.bls.gov`"), "\(wrong.err)")
        }
    }
}
