import Testing
import Foundation
@testable import Markdown
import TestSupport

@Suite struct HeadingIDTests {
    @Test func githubStyle() {
        #expect(HeadingID.slug("Is SQL enough?") == "is-sql-enough")
        #expect(HeadingID.slug("C# and .NET: what's new") == "c-and-net-whats-new")
        #expect(HeadingID.slug("snake_case and kebab-case") == "snake_case-and-kebab-case")
        #expect(HeadingID.slug("Développeur back-end") == "développeur-back-end")
    }

    @Test func repeatsGetNumbers() {
        var uniquer = HeadingID.Uniquer()
        #expect(["pay", "pay", "pay", "pay-1"].map { uniquer.unique($0) } == ["pay", "pay-1", "pay-2", "pay-1-1"])
    }
}

@Suite struct ParseTests {
    @Test func headingsGetIDsInTheHTML() {
        let doc = Markdown.parse("## Is SQL enough?\n\ntext\n\n## Pay\n\n## Pay\n")
        #expect(doc.headings.map(\.id) == ["is-sql-enough", "pay", "pay-1"])
        #expect(doc.headings.map(\.line) == [1, 5, 7])
        let html = doc.html { _ in "" }
        #expect(html.contains(#"<h2 id="is-sql-enough">Is SQL enough?</h2>"#))
        #expect(html.contains(#"<h2 id="pay-1">Pay</h2>"#))
    }

    @Test func headingKeepsInlineMarkup() {
        let html = Markdown.parse("### The `main` *loop*").html { _ in "" }
        #expect(html.contains(#"<h3 id="the-main-loop">The <code>main</code> <em>loop</em></h3>"#))
    }

    @Test func localLinksBecomeHolesWithPositions() {
        let text = "Intro line.\n\nSee [Frontend](frontend-developer.md) and\n  [pay](../faqs/x.md#pay \"Pay\"), [web](https://example.org/).\n"
        let doc = Markdown.parse(text)
        #expect(doc.links.map(\.destination) == ["frontend-developer.md", "../faqs/x.md#pay"])
        #expect(doc.links.map(\.line) == [3, 4])
        #expect(doc.links.map(\.column) == [5, 3])
        let html = doc.html { ["/roles/frontend-developer/", "/faqs/x/#pay"][$0] }
        #expect(html.contains(#"<a href="/roles/frontend-developer/">Frontend</a>"#))
        #expect(html.contains(#"<a href="/faqs/x/#pay" title="Pay">pay</a>"#))
        #expect(html.contains(#"<a href="https://example.org/">web</a>"#))
    }

    @Test func localImagesKeepAltText() {
        let doc = Markdown.parse("![Pay by *level*](/img/pay.svg)")
        #expect(doc.links.first?.isImage == true)
        #expect(doc.html { _ in "/guides/img/pay.svg" }.contains(#"<img src="/guides/img/pay.svg" alt="Pay by level" />"#))
    }

    @Test func writersTextCannotForgeOrHideAHole() {
        // The tokens guidegen places, spelled by the writer directly and through entities.
        for text in ["a guidegen-0-0 b [x](y.md)", "a guidegen&#45;0-0 b [x](y.md)", "guidegen&#45;0-h [x](y.md)",
                     "[a](https://x.org/guidegen-0-0) [x](y.md)", "## guidegen&#45;0-h\n\n[x](y.md)"] {
            let doc = Markdown.parse(text)
            #expect(doc.holes == [0], "\(text)")
            #expect(doc.problems.isEmpty)
            let html = doc.html { _ in "URL" }
            #expect(html.components(separatedBy: "href=\"URL\"").count == 2, "\(html)")
        }
    }

    /// Control characters that cmark decodes from entities are the writer's text, not markers.
    @Test func controlCharacterEntitiesStayText() {
        let doc = Markdown.parse("&#1;7&#1; [x](y.md)\n\n## A &#2; heading\n\nText.")
        #expect(doc.holes == [0])
        let html = doc.html { _ in "/y/" }
        #expect(html.contains("<p>\u{1}7\u{1} <a href=\"/y/\">x</a></p>"))
        #expect(html.contains("<h2 id=\"a--heading\">A \u{2} heading</h2>\n<p>Text.</p>"))
    }

    /// A link in any inline context keeps its text and its href.
    @Test(arguments: [
        ("| Role | Link |\n|---|---|\n| [Backend](b.md) | x |\n", "<td><a href=\"/b/\">Backend</a></td>"),
        ("*see [Backend](b.md)*", "<em>see <a href=\"/b/\">Backend</a></em>"),
        ("## About [Backend](b.md)", "<h2 id=\"about-backend\">About <a href=\"/b/\">Backend</a></h2>"),
        ("Note[^1].\n\n[^1]: See [Backend](b.md).", "See <a href=\"/b/\">Backend</a>"),
        ("> quote [Backend](b.md)", "<blockquote>\n<p>quote <a href=\"/b/\">Backend</a></p>"),
        ("- a\n  - b\n    - [Backend](b.md)", "<li><a href=\"/b/\">Backend</a></li>"),
        ("~~[Backend](b.md)~~", "<del><a href=\"/b/\">Backend</a></del>"),
        ("| a |\n|---|\n| **[Backend](b.md \"T\")** |", "<td><strong><a href=\"/b/\" title=\"T\">Backend</a></strong></td>"),
    ])
    func linkInEveryContext(_ markdown: String, _ expected: String) {
        let doc = Markdown.parse(markdown)
        #expect(doc.problems.isEmpty)
        #expect(doc.links.count == 1)
        let html = doc.html { _ in "/b/" }
        #expect(html.contains(expected), "\(html)")
    }

    /// What HTML cannot show is an error at its place, never a silent loss.
    @Test func linksTheHTMLCannotHoldAreReported() {
        let inAlt = Markdown.parse("Intro.\n\n![see [x](a.md)](p.png)")
        #expect(inAlt.problems.map(\.line) == [3])
        #expect(inAlt.problems.first?.message.contains("`a.md` does not appear") == true)
        let unreferenced = Markdown.parse("Text.\n\n[^9]: See [x](a.md).")
        #expect(unreferenced.problems.count == 1)
    }

    @Test func tooWideTablesAreRefusedBeforeParsing() {
        let wide = "|a" + String(repeating: "|a", count: 2999) + "|\n" + String(repeating: "|-", count: 3000) + "|\n" + String(repeating: "x\n", count: 3000)
        let clock = ContinuousClock()
        var doc: MarkdownDocument?
        let elapsed = clock.measure { doc = Markdown.parse("Intro.\n\n" + wide) }
        #expect(elapsed < .seconds(2))
        #expect(doc?.problems.first?.message == "this table has 3000 columns; at most 64 are allowed")
        #expect(doc?.problems.first?.line == 3)
        let long = "|a|b|c|d|e|f|g|h|i|j|\n|-|-|-|-|-|-|-|-|-|-|\n" + String(repeating: "x\n", count: 30_000)
        #expect(Markdown.parse(long).problems.first?.message.contains("cells are allowed") == true)
        // An ordinary table is fine.
        #expect(Markdown.parse("| a | b |\n|:--|--:|\n| 1 | 2 |\n").problems.isEmpty)
    }

    @Test func deepNestingIsReported() {
        let doc = Markdown.parse(String(repeating: ">", count: 200) + " deep")
        #expect(doc.problems.first?.message == "Markdown nested more than 64 levels deep")
        #expect(Markdown.parse(String(repeating: ">", count: 20) + " fine").problems.isEmpty)
    }

    @Test func rawHTMLIsOffByDefault() {
        let unsafe = "<script>alert(1)</script>\n\nHi <b>there</b>"
        let safe = Markdown.parse(unsafe).html { _ in "" }
        #expect(!safe.contains("<script>"))
        #expect(!safe.contains("<b>"))
        let allowed = Markdown.parse("Hi <b>there</b>", options: MarkdownOptions(unsafeHTML: true)).html { _ in "" }
        #expect(allowed.contains("<b>there</b>"))
        // GitHub's tag filter still applies when raw HTML is on.
        let filtered = Markdown.parse("<script>x</script>", options: MarkdownOptions(unsafeHTML: true)).html { _ in "" }
        #expect(filtered.contains("&lt;script>"))
    }

    @Test func gfmExtensions() {
        let text = """
        | a | b |
        |---|---|
        | 1 | 2 |

        ~~old~~ www.example.com

        - [x] done

        Note[^1].

        [^1]: The footnote.
        """
        let html = Markdown.parse(text).html { _ in "" }
        #expect(html.contains("<table>"))
        #expect(html.contains("<del>old</del>"))
        #expect(html.contains(#"<a href="http://www.example.com">"#))
        #expect(html.contains(#"type="checkbox""#))
        #expect(html.contains("footnote"))
    }

    @Test func plainTextAndSections() {
        let doc = Markdown.parse("Intro **bold**.\n\n## Do you need a degree?\n\nNo, not always.\n\n```\ncode\n```\n\n## Next\n\nMore.")
        #expect(doc.plainText.contains("Intro bold."))
        #expect(!doc.plainText.contains("code"))
        #expect(doc.sectionText(of: doc.headings[0]) == "No, not always.")
        #expect(doc.sectionText(of: doc.headings[1]) == "More.")
    }

    @Test func localOrNot() {
        #expect(isLocal("a.md"))
        #expect(isLocal("../a.md#x"))
        #expect(isLocal("/img/a.png"))
        #expect(isLocal("#pay"))
        #expect(!isLocal("https://x.org"))
        #expect(!isLocal("mailto:a@b.c"))
        #expect(!isLocal("//cdn.example.org/x.js"))
    }

    /// What `check --external` fetches: web links and images with their place, and nothing else (mail, local, code).
    @Test func externalLinksWithTheirPlace() {
        let doc = Markdown.parse("""
            See [BLS](https://www.bls.gov/ooh/) and ![chart](HTTP://img.example.org/a.png).

            Also www.onetonline.org and [mail](mailto:a@b.org), [local](../a.md), `https://in.code/`.

                https://in.block/
            """)
        #expect(doc.externalLinks.map(\.destination) == ["https://www.bls.gov/ooh/", "HTTP://img.example.org/a.png", "http://www.onetonline.org"])
        #expect(doc.externalLinks.map(\.line) == [1, 1, 3])
        #expect(doc.externalLinks.map(\.isImage) == [false, true, false])
        #expect(doc.externalLinks[0].column == 5)
        #expect(isWeb("https://x") && isWeb("HtTp://x") && !isWeb("ftp://x") && !isWeb("http:/x") && !isWeb("/http://x"))
    }
}

extension HeadingIDTests {
    /// The byte path for ASCII headings gives what the character path gives, for every ASCII character.
    @Test func asciiSlugsMatchTheCharacterRules() {
        var random = SplitMix64(seed: 7)
        let alphabet = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) } + ["\r\n"]
        var texts = alphabet.map { "a\($0)B 1" }
        for _ in 0..<2000 { texts.append(String((0..<random.below(30)).map { _ in random.pick(alphabet) })) }
        for text in texts { #expect(HeadingID.slug(text) == HeadingID.unicodeSlug(text), "\(text.debugDescription)") }
    }
}

@Suite struct MarkerSearchTests {
    /// The token search (Horspool) finds what a plain scan finds, on random bytes full of near misses.
    @Test func findsWhatAPlainScanFinds() {
        var random = SplitMix64(seed: 31)
        let alphabet = Array("guide-n0gd- e".utf8)
        var found = 0
        for _ in 0..<4000 {
            let source = (0..<random.below(60)).map { _ in random.pick(alphabet) }
            let needle = String(decoding: (0..<(1 + random.below(5))).map { _ in random.pick(alphabet) }, as: UTF8.self)
            let expected = needle.utf8.count <= source.count
                && (0...(source.count - needle.utf8.count)).contains { source[$0..<($0 + needle.utf8.count)].elementsEqual(needle.utf8) }
            #expect(ByteSearch(Array(needle.utf8)).occurs(in: source) == expected, "\(needle) in \(String(decoding: source, as: UTF8.self))")
            if expected { found += 1 }
        }
        #expect(found > 500)
        for _ in 0..<4000 {
            let source = (0..<random.below(60)).map { _ in random.pick(alphabet) }
            let needle = (0..<(1 + random.below(4))).map { _ in random.pick(alphabet) }
            let start = random.below(source.count + 2)
            let expected = start > source.count - needle.count ? nil
                : (start...(source.count - needle.count)).first { source[$0..<($0 + needle.count)].elementsEqual(needle) }
            #expect(source.withUnsafeBufferPointer { ByteSearch(needle).firstIndex(in: $0, from: start) } == expected)
        }
        #expect(ByteSearch(Array("guidegen-0-".utf8)).occurs(in: Array("text with guidegen-0- inside".utf8)))
        #expect(!ByteSearch(Array("guidegen-0-".utf8)).occurs(in: Array("guidegen-0".utf8)))
    }
}

@Suite struct HTMLEscapingTests {
    /// Byte by byte, the escaping is the five replacements done one after another (`&` first).
    @Test func escapesTheFiveCharactersAndKeepsEverythingElse() {
        var random = SplitMix64(seed: 41)
        let pieces = ["&", "<", ">", "\"", "'", "a", "é", "中", "😀", " ", "&amp;", "\u{0}", "\n"]
        for _ in 0..<3000 {
            let text = (0..<random.below(12)).map { _ in random.pick(pieces) }.joined()
            let expected = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
                .replacingOccurrences(of: "'", with: "&#39;")
            #expect(HTMLEscaping.attribute(text) == expected, "\(text.debugDescription)")
        }
    }
}
