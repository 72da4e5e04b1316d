import Content
import Foundation
import Testing
@testable import Content

/// A one-time load (`guidegen build`, `check`) remembers nothing for a next load: each file's bytes are
/// let go once parsed. A preview's load keeps them (to tell a changed file from a touched one).
@Suite struct OneTimeLoadTests {
    @Test func oneTimeLoadKeepsNoBytesAndGivesTheSamePages() throws {
        let site = try TempSite(copying: "basic")
        var remembered = LoadMemo()
        let (kept, keptDiagnostics) = SiteLoader.load(directory: site.directory, options: LoadOptions(), memo: LoadMemo(), changed: nil, next: &remembered)
        var forgotten = LoadMemo()
        let (once, onceDiagnostics) = SiteLoader.load(directory: site.directory, options: LoadOptions(), memo: LoadMemo(), changed: nil,
                                                     next: &forgotten, remembering: false)
        let pages = try #require(kept).pages
        #expect(!pages.isEmpty)
        #expect(try #require(once).pages == pages)
        #expect(onceDiagnostics.all == keptDiagnostics.all)
        // The preview's memo holds every page file with its bytes; the one-time load's holds none.
        #expect(remembered.entries.count == pages.count + (kept?.leftOutDrafts.count ?? 0))
        #expect(remembered.entries.values.allSatisfy { !$0.data.isEmpty })
        #expect(forgotten.entries.isEmpty)
        #expect(forgotten.parsed == remembered.parsed)
    }
}
