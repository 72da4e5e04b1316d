import Foundation
import Search
import Site
import Testing

/// The search index as the build writes it for a real site.
@Suite struct SearchBuildTests {
    @Test func theBuildWritesAnIndexTheBrowserCanQuery() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let files = snapshot(site.output)
        let manifest = try #require(files["search/manifest.json"])
        let version = try #require(SearchIndex.version(ofManifest: manifest))
        // Every file but the manifest is in its version's folder, and nothing else is under search/.
        #expect(files.keys.filter { $0.hasPrefix("search/") && $0 != "search/manifest.json" }.allSatisfy { $0.hasPrefix("search/\(version)/") })
        let query = try #require(SearchQuery(manifest: Array(manifest)) { files["search/\(version)/s/\($0).bin"].map(Array.init) })
        let hits = query.run("backend developer").hits
        let first = try #require(hits.first)
        let fragment = try #require(files["search/\(version)/f/\(first.page).json"])
        let decoded = try #require(try JSONSerialization.jsonObject(with: fragment) as? [String: Any])
        #expect(decoded["t"] as? String == "Backend Developer")
        #expect(decoded["u"] as? String == "roles/backend-developer/")
        // Every page links the script under the base path, and the script is written.
        let page = String(decoding: try #require(files["roles/backend-developer/index.html"]), as: UTF8.self)
        #expect(page.contains(#/<script src="/guides/search\.[0-9a-f]{16}\.js" defer></script>/#))
        #expect(page.contains(#"id="search-results" role="listbox""#))
        #expect(files["search.js"] != nil)
    }

    @Test func searchFalseWritesNoIndexAndNoScript() throws {
        let site = try TempSite(copying: "basic")
        let config = try String(contentsOfFile: site.directory + "/guidegen.yml", encoding: .utf8)
        try site.write("guidegen.yml", config + "search: false\n")
        #expect(site.build().succeeded)
        let files = snapshot(site.output)
        #expect(!files.keys.contains { $0.hasPrefix("search/") })
        let page = String(decoding: try #require(files["roles/backend-developer/index.html"]), as: UTF8.self)
        #expect(!page.contains("search.js"))
        #expect(!page.contains("search-results"))
        // The plain form still works.
        #expect(page.contains(#"<form class="search" role="search" action="/guides/roles/" method="get">"#))
    }

    @Test func aMisspelledSearchKeyIsAnError() throws {
        let site = try TempSite(copying: "basic")
        let config = try String(contentsOfFile: site.directory + "/guidegen.yml", encoding: .utf8)
        try site.write("guidegen.yml", config + "serch: false\n")
        let report = site.check()
        #expect(!report.succeeded)
        #expect(report.diagnostics.all.contains { $0.message.contains("serch") })
    }
}
