import Content
import Diagnostics
import Foundation

/// Where a figure on a role's page came from: the data file, its row and column.
public struct FigureOrigin: Sendable, Hashable {
    /// The figure as the front matter names it: `salary.median`, `outlook.growth`, `entry_education`.
    public var field: String
    /// The value as the page shows it.
    public var value: String
    public var file: String
    public var row: Int
    /// 0 for column A.
    public var column: Int
    /// The column as the file's header names it (`A_MEDIAN`, `Employment change, percent, 2024–34`).
    public var header: String = ""
}

/// Fills the figures of every role that names an `occupation_code` from the site's data files: salary
/// from the OEWS national file, pay by state from the state file, outlook and entry requirements from
/// Employment Projections. Typed figures stay for what no file holds; a typed figure a file also holds
/// must agree with it (`figure-mismatch`).
public enum FigureFill {
    public struct Result: Sendable {
        public var boxes: [PageBox]
        public var diagnostics: [Diagnostic] = []
        /// Each filled figure's cell, by page source (`content/roles/x.md`).
        public var origins: [String: [FigureOrigin]] = [:]
    }

    /// The pages with their roles' figures filled. A page the data does not touch keeps its box; so does a
    /// role whose raw page, data and sharing roles are what `memo` last filled it from.
    public static func apply(_ data: DataSet, to boxes: [PageBox], memo: inout FillMemo) -> Result {
        var result = fill(data, boxes, memo: &memo)
        result.diagnostics += payWithoutSalary(result.boxes)
        return result
    }

    static func fill(_ data: DataSet, _ boxes: [PageBox], memo: inout FillMemo) -> Result {
        var result = Result(boxes: boxes)
        guard !data.isEmpty else {
            memo = FillMemo()
            return result
        }
        // Each role's occupation first: who shares one is known before any page says so.
        var resolved: [Int: (code: String, title: String, broader: Bool)] = [:]
        for (index, box) in boxes.enumerated() {
            guard let code = box.page.role?.occupationCode else { continue }
            let soc = String(code.prefix(7))
            if let (row, broader) = data.nationalRow(soc) {
                resolved[index] = (row.code, row.title, broader)
            } else if let row = data.projectionRow(soc) {
                resolved[index] = (row.code, row.title, false)
            } else {
                let files = [data.national?.declaration.file, data.projections?.declaration.file].compactMap { $0 }.joined(separator: " or ")
                result.diagnostics.append(.error(.unknownOccupation, at: box.page.location(ofField: "occupation_code") ?? SourceLocation(file: box.page.source),
                                                 "occupation \(soc) is not in \(files), nor any group that holds it",
                                                 hint: "check the code on bls.gov/soc; leave out `occupation_code` for a role BLS does not count"))
            }
        }
        var byCode: [String: [Int]] = [:]
        for (index, occupation) in resolved { byCode[occupation.code, default: []].append(index) }
        var next = FillMemo()
        for (index, occupation) in resolved.sorted(by: { $0.key < $1.key }) {
            let raw = boxes[index]
            let shared = (byCode[occupation.code] ?? []).filter { $0 != index }
                .map { Occupation.SharedRole(slug: boxes[$0].page.slug, title: boxes[$0].page.title) }.sorted { $0.slug < $1.slug }
            let key = FillMemo.Key(raw: ObjectIdentifier(raw), shared: shared)
            if let known = memo.filled[key], known.raw === raw {
                result.boxes[index] = known.box
                result.origins[raw.page.source] = known.origins
                next.filled[key] = known
                continue
            }
            var filling = RoleFilling(page: raw.page, data: data)
            filling.occupation = Occupation(code: occupation.code, title: occupation.title, isBroaderGroup: occupation.broader,
                                            sharedWith: shared, note: raw.page.role?.occupationNote)
            filling.fill()
            let box = PageBox(filling.page)
            result.boxes[index] = box
            result.diagnostics += filling.diagnostics
            result.origins[raw.page.source] = filling.origins
            next.filled[key] = FillMemo.Entry(raw: raw, box: box, origins: filling.origins)
        }
        memo = next
        return result
    }
}

extension FigureFill {
    /// Career levels with `pay` on a role that has no salary once the data is read (the parser lets `pay` wait for
    /// the data when the role names an occupation code).
    static func payWithoutSalary(_ boxes: [PageBox]) -> [Diagnostic] {
        boxes.compactMap { box in
            guard let role = box.page.role, role.salary == nil, role.careerPath?.allLevels.contains(where: { $0.pay != nil }) == true else { return nil }
            return .error(.figureSource, at: box.page.location(ofField: "career_path") ?? SourceLocation(file: box.page.source, line: 1, column: 1),
                          "career levels have `pay`, but the role has no salary: no data file holds its occupation's pay",
                          hint: "pay per level is shown in the salary's currency and credited to its source; add a `salary` block with currency, source and as_of, or remove `pay`")
        }
    }
}

/// What the last fill made, so a preview update hands on the same box for a role whose inputs did not change
/// (later stages tell unchanged pages by identity). Cleared when the data changes.
public struct FillMemo: Sendable {
    struct Key: Hashable {
        var raw: ObjectIdentifier
        var shared: [Occupation.SharedRole]
    }

    struct Entry: Sendable {
        /// Held so the identity in the key stays this box's.
        var raw: PageBox
        var box: PageBox
        var origins: [FigureOrigin]
    }

    var filled: [Key: Entry] = [:]

    public init() {}

    public var isEmpty: Bool { filled.isEmpty }

    /// Forget what was filled: the data files changed.
    public mutating func dataChanged() {
        filled = [:]
    }
}
