import Testing
@testable import Markdown

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

    @Test func holeMarkerInInputCannotForgeAHole() {
        let doc = Markdown.parse("a \u{1}0\u{1} b [x](y.md)")
        #expect(doc.holes == [0])
        #expect(!doc.html { _ in "URL" }.contains("\u{1}"))
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
        #expect(doc.headings[0].sectionText == "No, not always.")
        #expect(doc.headings[1].sectionText == "More.")
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
}
