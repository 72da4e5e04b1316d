import Content
import Diagnostics
import Foundation
import Graph

/// Warnings about content that builds but serves readers worse: figures gone stale, pages no other
/// page leads to, roles without related roles, missing or overlong summaries. They never change
/// the built files; `guidegen check` reports them (`build` does not) and `--strict` fails on them.
public enum ContentChecks {
    /// Figures older than this many months before the check's date are stale.
    public static let staleAfterMonths = 18
    /// Old figures a writer looked for newer ones of within this many months are not stale: the source has
    /// published nothing newer (the page says so).
    public static let checkedForMonths = 6
    /// Longer summaries are cut in search results and link previews.
    public static let summaryLimit = 160

    /// - Parameter siteDirectory: given, pages that name a role without linking to it are found too
    ///   (a pass over every page's text; the folder is read again only to place each warning).
    public static func warnings(_ graph: SiteGraph, today: String, siteDirectory: String? = nil) -> [Diagnostic] {
        var warnings: [Diagnostic] = siteDirectory.map { RoleMentions.warnings(graph, siteDirectory: $0) } ?? []
        warnings += ReleaseCalendar.dataFileWarnings(graph.config.data, today: today)
        // Every page another page's output leads to: body links, related roles, resources, career paths.
        var reached = Set(graph.hubs.compactMap(\.page))
        for (id, relations) in graph.relations {
            if relations.backlinks.contains(where: { $0 != id }) { reached.insert(id) }
            for shown in relations.linkedPages where shown != id { reached.insert(shown) }
        }
        for id in graph.ids {
            let page = graph[id]
            let file = SourceLocation(file: page.source, line: 1, column: 1)
            func at(_ key: String) -> SourceLocation { page.location(ofField: key) ?? file }

            let role = page.role
            let figures: [(String, String?, String?, String?, ClosedRange<Int>?)] = [
                ("salary", role?.salary?.asOf, role?.salary?.checked, role?.salary?.source, nil),
                ("market", role?.market?.asOf, role?.market?.checked, role?.market?.source, nil),
                ("outlook", role?.outlook?.asOf, role?.outlook?.checked, role?.outlook?.source, role?.outlook?.period),
            ]
            for (name, asOf, checked, source, period) in figures {
                guard let asOf, !asOf.isEmpty else { continue }
                // Figures from a declared data file: the file's declaration is warned about once (`dataFileWarnings`).
                let fromFile = role?.occupation != nil && name != "market" && asOf == graph.config.data.first { declared in
                    declared.kind == (name == "salary" ? .oewsNational : .epOccupations) }?.asOf
                // A release with a calendar is judged by it (`checked` counts only after the due day); other figures by their age.
                let calendar = fromFile ? nil : source.flatMap { ReleaseCalendar.typedWarning(name: name, source: $0, asOf: asOf, period: period, checked: checked,
                                                                                             today: today, at: at(name + ".as_of")) }
                if let calendar, let due = calendar { warnings.append(due) }
                if !fromFile, calendar == nil {
                    warnings += ageWarnings(name, asOf: asOf, checked: checked, today: today, at: at)
                }
                if let updated = page.updated, updated < asOf {
                    warnings.append(.warning(
                        .updatedBeforeFigures, at: at("updated"),
                        "`updated` (\(updated)) is earlier than the \(name) figures' `as_of` (\(asOf))",
                        hint: "set `updated` to the day you last reviewed the page, on or after \(asOf)"))
                }
            }
            warnings += repeatedSections(page, relations: graph.relations(of: id))
            if !page.draft, let where_ = placeholderField(page) {
                warnings.append(.warning(.placeholder, at: where_ == "body" ? SourceLocation(file: page.source, line: page.bodyStartLine, column: 1) : at(where_),
                                         "the page is no longer a draft but its \(where_) still says `\(NewPage.placeholder)`",
                                         hint: "write the words `guidegen new` left a `\(NewPage.placeholder)` for, or put `draft: true` back"))
            }
            if page.summary == nil, !page.isIndex {
                warnings.append(.warning(.noSummary, at: file, "the page has no `summary`",
                                         hint: "add one sentence of at most \(summaryLimit) characters: it is the page's description in search results and link previews"))
            } else if let summary = page.summary, summary.count > summaryLimit {
                warnings.append(.warning(.longSummary, at: at("summary"),
                                         "the summary has \(summary.count) characters; search results and link previews show about \(summaryLimit)",
                                         hint: "shorten it to one sentence of at most \(summaryLimit) characters; put the rest in the body"))
            }
            // (A site's only role has nothing to relate to.)
            if page.kind == .role, graph.roleBySlug.count > 1, graph.relations(of: id).related.isEmpty {
                warnings.append(.warning(.noRelatedRoles, at: at("skills"), "no related roles: this role shares no skill or category with another",
                                         hint: "list its skills as other roles spell them, or pin roles with `related: [slug]`"))
            }
            if !page.isIndex, !reached.contains(id) {
                warnings.append(.warning(.orphanPage, at: file, "no other page links to this page; only the generated lists do",
                                         hint: "link it from a page about the same subject, like [\(page.title)](/\(page.path))"))
            }
        }
        return warnings.sorted()
    }

    /// Figures whose release has no known calendar: stale once older than `staleAfterMonths`, unless a writer
    /// looked for newer ones within `checkedForMonths`.
    static func ageWarnings(_ name: String, asOf: String, checked: String?, today: String, at: (String) -> SourceLocation) -> [Diagnostic] {
        if let checked, checked > today {
            return [.warning(.staleFigures, at: at(name + ".checked"), "the \(name) figures' `checked` (\(checked)) is after today (\(today))",
                             hint: "set `checked` to the day you looked for a newer release")]
        }
        let recentlyChecked = checked.flatMap { monthsBetween($0, today) }.map { (0...checkedForMonths).contains($0) } ?? false
        guard let months = monthsBetween(asOf, today), months > staleAfterMonths, !recentlyChecked else { return [] }
        let since = checked.map { "; newer ones were last looked for on \($0)" } ?? ""
        return [.warning(
            .staleFigures, at: at(name + (checked == nil ? ".as_of" : ".checked")),
            "the \(name) figures are as of \(asOf), \(months) months before \(today)\(since)",
            hint: "take the figures from the source's newest release and update `as_of`; if there is no newer release, set `checked:` to the day you looked")]
    }

    /// A warning per file or folder under static/ left out of the site because its name starts with a dot
    /// (`.DS_Store`, `.env`, `.git/`): a writer who put it there may have meant it to be published.
    public static func hiddenStaticFiles(_ leftOut: [String]) -> [Diagnostic] {
        let published = SiteFiles.publishedHiddenNames.sorted().joined(separator: ", ")
        return leftOut.map { path in
            .warning(.hiddenFile, at: SourceLocation(file: "static/" + path),
                     "not published: names starting with a dot are left out, except \(published)",
                     hint: "rename it without the leading dot to publish it; else move it out of static/ (a tool's file like .DS_Store can be deleted)")
        }
    }

    /// The sections a page's template makes from typed data, by the words a writer's heading for the
    /// same topic starts with, and the field that holds the topic instead.
    static func generatedSections(_ page: Page, relations: Relations) -> [(words: [String], title: String, field: String)] {
        var sections: [(words: [String], title: String, field: String)] = []
        if !page.sources.isEmpty { sections.append((["sources"], "Sources", "sources")) }
        guard let role = page.role else { return sections }
        sections.append((["quick facts"], "Quick facts", "salary, outlook and entry_education"))
        if role.careerPath.map({ !$0.allLevels.isEmpty || !$0.to.isEmpty || !$0.from.isEmpty }) == true {
            sections.append((["career path", "career ladder", "career progression"], "Career path", "career_path (levels with their summaries, from, to)"))
        }
        if !role.specializations.isEmpty { sections.append((["specialization", "specialisation"], "Specializations", "specializations")) }
        if role.education != nil || role.entryEducation != nil { sections.append((["education"], "Education", "education")) }
        if !role.certifications.isEmpty { sections.append((["certification"], "Certifications", "certifications")) }
        if !role.industries.isEmpty { sections.append((["industries"], "Industries", "industries")) }
        if !relations.related.isEmpty { sections.append((["related roles"], "Related roles", "related")) }
        if !relations.resources.isEmpty { sections.append((["related resources"], "Related resources", "roles (on the resource pages)")) }
        return sections
    }

    /// A body heading on a topic the page already shows from its typed data: the reader would see it twice.
    static func repeatedSections(_ page: Page, relations: Relations) -> [Diagnostic] {
        let sections = generatedSections(page, relations: relations)
        guard !sections.isEmpty else { return [] }
        var found: [Diagnostic] = []
        for heading in page.body.headings {
            let words = heading.text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: " ")
            guard let section = sections.first(where: { $0.words.contains { words.hasPrefix($0) } }) else { continue }
            found.append(.warning(.repeatedSection, at: page.location(bodyLine: heading.line, column: 1),
                                  "the heading \"\(heading.text)\" repeats the \"\(section.title)\" section the page makes from its front matter",
                                  hint: "move this text into `\(section.field)`, or put it under a heading about what it adds"))
        }
        return found
    }

    /// Whether `text` is a calendar date written YYYY-MM-DD.
    public static func isDate(_ text: String) -> Bool {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, fields.count == 3, fields.map(\.count) == [4, 2, 2],
              let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]), (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// Whole months from `from` to `to` (both YYYY-MM-DD); nil if either is not such a date.
    public static func monthsBetween(_ from: String, _ to: String) -> Int? {
        func parts(_ date: String) -> (Int, Int, Int)? {
            let fields = date.split(separator: "-").compactMap { Int($0) }
            return fields.count == 3 ? (fields[0], fields[1], fields[2]) : nil
        }
        guard let a = parts(from), let b = parts(to) else { return nil }
        return (b.0 * 12 + b.1) - (a.0 * 12 + a.1) - (b.2 < a.2 ? 1 : 0)
    }

    /// Today's date in UTC, YYYY-MM-DD.
    /// Where a page still holds the placeholder `guidegen new` wrote: its title, summary or body.
    static func placeholderField(_ page: Page) -> String? {
        if page.title.contains(NewPage.placeholder) { return "title" }
        if page.summary?.contains(NewPage.placeholder) == true { return "summary" }
        if page.role?.category.contains(NewPage.placeholder) == true { return "category" }
        if page.body.plainText.contains(NewPage.placeholder) { return "body" }
        return nil
    }

    public static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
