import Content
import Graph
import Markdown
import Render
import Testing

/// Every stored field of `Page` and `RoleData` is carried by the input of a phase that reads it
/// (Graph/PhaseInputs.swift, Render/OutputInputs.swift) or declared read only by the page's own
/// output (`PageFields`): adding a field makes you decide which, here, by reflection.
@Suite struct PhaseInputsTests {
    static let samplePage: Page = {
        var role = RoleData(category: "Data")
        role.careerPath = CareerPath()
        return Page(source: "content/roles/a.md", path: "roles/a.md", kind: .role, slug: "a", url: "/roles/a/", section: "roles",
                    isIndex: false, title: "A", role: role,
                    body: MarkdownDocument(parts: [""], holes: [], links: [], headings: [], plainText: ""), bodyStartLine: 3)
    }()

    /// The inputs, each as made from the sample page.
    static let inputs: [(name: String, value: any Sendable)] = [
        ("LinkInputs", LinkInputs(samplePage)), ("HubInputs", HubInputs(samplePage)),
        ("CardInputs", CardInputs(samplePage)), ("ListingInputs", ListingInputs(samplePage)),
    ]

    /// What the check finds: fields no input carries and none declares, declarations of no field or
    /// of a field an input carries, and input properties named after no field.
    struct Findings: Equatable {
        var uncovered: [String] = []
        var misdeclared: [String] = []
        var misnamed: [String] = []
    }

    static func fields(of value: Any) -> [String] {
        FieldEditTests.fields(of: value)
    }

    /// The value inside an optional, or the value itself.
    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }

    static func check(page: Any, role: Any, inputs: [(name: String, value: any Sendable)],
                      ownOutputOnly: Set<String>, roleOwnOutputOnly: Set<String>) -> Findings {
        let pageFields = Set(fields(of: page))
        let roleFields = Set(fields(of: role))
        var carried = Set<String>()
        var carriedRole = Set<String>()
        var findings = Findings()
        for (name, input) in inputs {
            for child in Mirror(reflecting: input).children {
                guard let label = child.label else { continue }
                carried.insert(label)
                if !pageFields.contains(label) { findings.misnamed.append("\(name).\(label)") }
                guard label == "role", let role = unwrapped(child.value) else { continue }
                for field in fields(of: role) {
                    carriedRole.insert(field)
                    if !roleFields.contains(field) { findings.misnamed.append("\(name).role.\(field)") }
                }
            }
        }
        findings.uncovered = pageFields.subtracting(carried).subtracting(ownOutputOnly).map { "Page.\($0)" }.sorted()
            + roleFields.subtracting(carriedRole).subtracting(roleOwnOutputOnly).map { "RoleData.\($0)" }.sorted()
        findings.misdeclared = ownOutputOnly.filter { !pageFields.contains($0) || carried.contains($0) }.map { "Page.\($0)" }.sorted()
            + roleOwnOutputOnly.filter { !roleFields.contains($0) || carriedRole.contains($0) }.map { "RoleData.\($0)" }.sorted()
        findings.misnamed.sort()
        return findings
    }

    @Test func everyFieldIsInAnInputOrDeclaredOwnOutputOnly() {
        let findings = Self.check(page: Self.samplePage, role: Self.samplePage.role!, inputs: Self.inputs,
                                  ownOutputOnly: Set(PageFields.ownOutputOnly.keys), roleOwnOutputOnly: Set(PageFields.roleOwnOutputOnly.keys))
        #expect(findings.uncovered.isEmpty, """
            no phase input carries \(findings.uncovered) and PageFields does not declare them: add each to the input of \
            every phase that reads it (Graph/PhaseInputs.swift, Render/OutputInputs.swift), or to PageFields if only \
            the page's own output reads it
            """)
        #expect(findings.misdeclared.isEmpty, "PageFields declares \(findings.misdeclared), which no page has or an input carries")
        #expect(findings.misnamed.isEmpty, "input properties \(findings.misnamed) are named after no field: name them after the field they carry")
    }

    /// The check itself: a page type with a field no input carries, an input property named after no
    /// field, and a stale declaration are each found.
    @Test func theCheckFindsANewField() {
        struct Role { var skills = [""], salary = 0 }
        struct NewPage { var title = "", weight = 0, role: Role? = Role(), notes = "" }
        struct Input { var title = "", role: Role? = Role() }
        struct Stray { var colour = "" }
        let findings = Self.check(page: NewPage(), role: Role(), inputs: [("Input", Input()), ("Stray", Stray())],
                                  ownOutputOnly: ["notes", "gone"], roleOwnOutputOnly: [])
        #expect(findings == Findings(uncovered: ["Page.weight"], misdeclared: ["Page.gone"], misnamed: ["Stray.colour"]))
    }
}
