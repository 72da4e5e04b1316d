import Content
import Diagnostics

/// When the official releases a site's figures come from are followed by newer ones: OEWS describes May of
/// year Y and is published in the spring of Y+1; Employment Projections for Y-(Y+10) are published in the late
/// summer of Y+1. A release is due once its season has passed, with a margin for the usual delays.
public enum ReleaseCalendar {
    public enum Series: Sendable, Hashable {
        case oews, projections
    }

    /// The release after the one whose reference year is `year`, and the day by which it is due (YYYY-MM-DD).
    public static func next(after year: Int, _ series: Series) -> (name: String, due: String) {
        switch series {
        case .oews: ("OEWS May \(year + 1)", "\(year + 2)-06-01")
        case .projections: ("Employment Projections \(year + 1)-\(String(year + 11).suffix(2))", "\(year + 2)-10-01")
        }
    }

    /// The series a typed figure's source names, if any.
    static func series(ofSource source: String) -> Series? {
        let text = source.lowercased()
        if text.contains("oews") || text.contains("occupational employment and wage") { return .oews }
        if text.contains("employment projections") { return .projections }
        return nil
    }

    /// A warning per declared data file whose next release is due by `today`.
    static func dataFileWarnings(_ declarations: [DataDeclaration], today: String) -> [Diagnostic] {
        declarations.compactMap { declaration in
            guard let year = Int(declaration.asOf.prefix(4)) else { return nil }
            let series: Series = declaration.kind == .epOccupations ? .projections : .oews
            let (name, due) = next(after: year, series)
            guard today >= due else { return nil }
            return .warning(.newerReleaseDue, at: declaration.location,
                            "\(declaration.file) is \(declaration.release); \(name) was due by \(due)",
                            hint: "download \(name) from \(declaration.url), put it in data/ and update this declaration (release, as_of, published)")
        }
    }

    /// A warning when a typed figure's release (named in its source) has been followed by a newer one by `today`,
    /// unless the writer looked for it after it was due (`checked`).
    static func typedWarning(name: String, source: String, asOf: String, period: ClosedRange<Int>?, checked: String?,
                             today: String, at location: SourceLocation) -> Diagnostic?? {
        guard let series = series(ofSource: source) else { return .none }
        let year = series == .projections ? period?.lowerBound ?? Int(asOf.prefix(4)) : Int(asOf.prefix(4))
        guard let year else { return .some(nil) }
        let (release, due) = next(after: year, series)
        guard today >= due, !(checked.map { $0 >= due } ?? false) else { return .some(nil) }
        return .some(.warning(.newerReleaseDue, at: location,
                              "the \(name) figures are from a release before \(release), which was due by \(due)",
                              hint: "take the figures from \(release) (or declare its file under `data:`); if it is late, set `checked:` to the day you looked"))
    }
}
