import Testing
@testable import Graph
@Test func slugs() {
    #expect(Slug.make("Node.js") == "node-js")
    #expect(Slug.make("C#") == "c-sharp")
    #expect(Slug.make("C++") == "c-plus-plus")
    #expect(Slug.make("HTML and CSS") == "html-and-css")
    #expect(Slug.make("CI/CD") == "ci-cd")
    #expect(Slug.make("  Web Development ") == "web-development")
}
