extension Diagnostic {
    /// A stable name for a kind of problem, shown in every output format (`broken-link`,
    /// `stale-salary`), so a team can say which warnings it allows and tools can match on it.
    /// The list below is the catalog; a code once published keeps its meaning.
    public struct Code: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        public static func < (lhs: Code, rhs: Code) -> Bool { lhs.rawValue < rhs.rawValue }
    }
}

extension Diagnostic.Code {
    // The site folder and its files.
    public static let siteFolder = Self("site-folder")
    public static let configMissing = Self("config-missing")
    public static let contentMissing = Self("content-missing")
    public static let unreadableFile = Self("unreadable-file")
    public static let notUTF8 = Self("not-utf8")
    public static let controlCharacter = Self("control-character")
    public static let notAFolder = Self("not-a-folder")
    public static let folderLoop = Self("folder-loop")
    public static let symlinkBroken = Self("symlink-broken")
    public static let symlinkOutside = Self("symlink-outside")
    public static let fileName = Self("file-name")
    public static let folderName = Self("folder-name")
    public static let notMarkdown = Self("not-markdown")
    public static let specialFile = Self("special-file")
    public static let fileTooLarge = Self("file-too-large")

    // guidegen.yml and front matter.
    public static let yamlSyntax = Self("yaml-syntax")
    public static let noFrontMatter = Self("no-front-matter")
    public static let notAMapping = Self("not-a-mapping")
    public static let duplicateKey = Self("duplicate-key")
    public static let unknownKey = Self("unknown-key")
    public static let wrongType = Self("wrong-type")
    public static let emptyValue = Self("empty-value")
    public static let missingField = Self("missing-field")
    public static let invalidValue = Self("invalid-value")
    public static let outOfRange = Self("out-of-range")
    public static let tooLong = Self("too-long")
    public static let figureOrder = Self("figure-order")
    public static let figureSource = Self("figure-source")
    public static let figureMismatch = Self("figure-mismatch")
    public static let aliasLimit = Self("alias-limit")

    // Data files (`data:` in guidegen.yml).
    public static let dataFile = Self("data-file")
    public static let dataColumn = Self("data-column")
    public static let dataValue = Self("data-value")
    public static let unknownOccupation = Self("unknown-occupation")

    // Markdown bodies.
    public static let markdown = Self("markdown")

    // The page graph.
    public static let duplicateURL = Self("duplicate-url")
    public static let duplicateSlug = Self("duplicate-slug")
    public static let hubCollision = Self("hub-collision")
    /// An alias (a page's old address) that is a page's, a generated page's, a static file's or another alias's address.
    public static let aliasCollision = Self("alias-collision")
    public static let unknownHub = Self("unknown-hub")
    public static let brokenLink = Self("broken-link")
    public static let brokenAnchor = Self("broken-anchor")
    public static let draftLink = Self("draft-link")
    public static let unknownRole = Self("unknown-role")
    public static let selfReference = Self("self-reference")

    // The theme.
    public static let themeNotFound = Self("theme-not-found")
    public static let template = Self("template")
    public static let missingTemplate = Self("missing-template")
    public static let templateNesting = Self("template-nesting")
    public static let templateSize = Self("template-size")

    // Writing the site.
    public static let staticOverwrite = Self("static-overwrite")
    public static let outputFolder = Self("output-folder")
    public static let outputLocked = Self("output-locked")
    public static let writeFailed = Self("write-failed")
    public static let foreignFile = Self("foreign-file")

    // Warnings about content (`guidegen check` reports them; `--strict` fails on them).
    public static let staleFigures = Self("stale-figures")
    public static let newerReleaseDue = Self("newer-release-due")
    public static let updatedBeforeFigures = Self("updated-before-figures")
    public static let orphanPage = Self("orphan-page")
    public static let noRelatedRoles = Self("no-related-roles")
    public static let noSummary = Self("no-summary")
    public static let longSummary = Self("long-summary")
    public static let unlinkedRoleMention = Self("unlinked-role-mention")
    public static let repeatedSection = Self("repeated-section")
    /// A page that is no longer a draft still holds a `TODO:` that `guidegen new` wrote for the writer to replace.
    public static let placeholder = Self("placeholder")
    public static let hiddenFile = Self("hidden-file")
    /// A page address the previous build into the same output published that this build no longer has, and no alias covers.
    public static let urlRemoved = Self("url-removed")
    /// An `http(s)` address of a source, a figure or a Markdown link that did not answer well (`check --external`).
    public static let externalLink = Self("external-link")
}
