import Graph
import Render
import Testing
@testable import Site

/// A build hands out its generated outputs (hubs, sitemap, feed: each lists many pages) before the
/// content pages, so no core is left rendering one of them alone at the end.
@Suite struct OutputOrderTests {
    @Test func generatedOutputsComeFirstEachGroupInItsOrder() {
        let keys: [OutputKey] = [.page(PageID("a.md")), .page(PageID("b.md")), .hub("/skills/go/"), .page(PageID("c.md")),
                                 .hub("/roles/"), .notFound, .sitemap, .feed, .robots, .asset("style.css")]
        let paths = keys.indices.map { "file\($0)" }
        let (orderedPaths, orderedKeys) = SiteBuilder.costliestFirst((paths, keys))
        #expect(orderedKeys == [.hub("/skills/go/"), .hub("/roles/"), .notFound, .sitemap, .feed, .robots, .asset("style.css"),
                                .page(PageID("a.md")), .page(PageID("b.md")), .page(PageID("c.md"))])
        // Each path stays with its output.
        #expect(orderedPaths == ["file2", "file4", "file5", "file6", "file7", "file8", "file9", "file0", "file1", "file3"])
    }
}
