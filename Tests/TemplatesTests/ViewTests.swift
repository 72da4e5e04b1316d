import Mustache
import Testing
@testable import Templates

/// `View` and `TemplateText` are read by swift-mustache in place of dictionaries and strings:
/// every template must print the same with them as with the library's own types.
@Suite struct ViewTests {
    /// Names, dotted names, sections over text, booleans, lists and views, inverted sections,
    /// transforms, escaping, a name found below a section's value and names found nowhere.
    static let template = """
    {{title}}|{{{title}}}|{{site.name}}|{{#site}}{{name}}/{{title}}{{/site}}|\
    {{#note}}[{{.}}:{{title}}:{{site.name}}]{{/note}}|{{^note}}no note{{/note}}|\
    {{#flag}}on{{/flag}}{{^flag}}off{{/flag}}|{{#off}}on{{/off}}{{^off}}off{{/off}}|\
    {{#items}}<{{name}} {{title}}{{#last()}}.{{/last()}}>{{/items}}|{{#tags}}({{.}}){{/tags}}|\
    {{^empty}}nothing{{/empty}}|{{uppercased(title)}}|{{#first(items)}}first {{name}}{{/first(items)}}|\
    {{#empty(tags)}}none{{/empty(tags)}}{{^empty(tags)}}some{{/empty(tags)}}|\
    {{count}}|{{missing}}|{{site.missing}}|{{#missing}}x{{/missing}}|{{note.missing}}
    """

    @Test func rendersAsTheLibrarysOwnTypes() throws {
        let template = try MustacheTemplate(string: Self.template)
        let dictionary: [String: Any] = [
            "title": "Fish & <Chips>", "site": ["name": "Guides \"A\""] as [String: Any], "note": "a note",
            "flag": true, "off": false, "items": [["name": "one"], ["name": "two"]] as [[String: Any]],
            "tags": ["x", "y"], "empty": [String](), "count": 3,
        ]
        let view: View = [
            "title": "Fish & <Chips>", "site": ["name": "Guides \"A\""] as View, "note": "a note",
            "flag": true, "off": false, "items": [["name": "one"], ["name": "two"]] as [View],
            "tags": TemplateText.list(["x", "y"]), "empty": [TemplateText](), "count": 3,
        ]
        let expected = template.render(dictionary)
        #expect(expected.contains("[a note:Fish &amp; &lt;Chips&gt;:Guides &quot;A&quot;]"))
        #expect(template.render(view) == expected)
    }

    @Test func readsAndWritesLikeADictionary() {
        var view: View = ["title": "A", "count": 2]
        #expect(view["title"] as? String == "A")
        #expect(view["count"] as? Int == 2)
        #expect(view["missing"] == nil)
        view["title"] = "B"
        view["count"] = nil
        view["new"] = false
        #expect(view["title"] as? String == "B")
        #expect(view["count"] == nil)
        #expect(view["new"] as? Bool == false)
        #expect(view.child(named: "title") is TemplateText)
        #expect(view.child(named: "count") == nil)
    }
}
