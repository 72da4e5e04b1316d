import Foundation
import Testing
@testable import Output

@Suite struct SiteWriterTests {
    func temporary() -> String {
        let path = NSTemporaryDirectory() + "guidegen-output-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesAsideThenSwaps() throws {
        let root = temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let output = root + "/public"
        let source = root + "/logo.svg"
        try "<svg/>".write(toFile: source, atomically: true, encoding: .utf8)
        var problems = SiteWriter.write(files: [("index.html", Data("one".utf8)), ("roles/a/index.html", Data("a".utf8))],
                                        copies: [("img/logo.svg", source)], to: output)
        #expect(problems.isEmpty)
        #expect(try String(contentsOfFile: output + "/roles/a/index.html", encoding: .utf8) == "a")
        #expect(try String(contentsOfFile: output + "/img/logo.svg", encoding: .utf8) == "<svg/>")
        problems = SiteWriter.write(files: [("index.html", Data("two".utf8))], copies: [], to: output)
        #expect(problems.isEmpty)
        #expect(try String(contentsOfFile: output + "/index.html", encoding: .utf8) == "two")
        #expect(!FileManager.default.fileExists(atPath: output + "/roles"))
        // The previous output is kept beside it, to be written over by the next build.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == [".public.guidegen-spare", "logo.svg", "public"])
        // Third build: written into the spare, which still holds the first build's files; none of those may survive.
        problems = SiteWriter.write(files: [("about/index.html", Data("three".utf8))], copies: [], to: output)
        #expect(problems.isEmpty)
        #expect(snapshotPaths(output) == ["about/index.html"])
    }

    @Test func aShorterFileOverALongerOneHasNoLeftovers() throws {
        let root = temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let output = root + "/public"
        for text in ["a long first version", "a long first version", "short", "short"] {
            #expect(SiteWriter.write(files: [("index.html", Data(text.utf8))], copies: [], to: output).isEmpty)
            #expect(try String(contentsOfFile: output + "/index.html", encoding: .utf8) == text)
        }
    }

    @Test func aFileWhereAFolderIsNeeded() throws {
        let root = temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let output = root + "/public"
        #expect(SiteWriter.write(files: [("a", Data("file".utf8))], copies: [], to: output).isEmpty)
        #expect(SiteWriter.write(files: [("b", Data("file".utf8))], copies: [], to: output).isEmpty)
        #expect(SiteWriter.write(files: [("a/index.html", Data("page".utf8))], copies: [], to: output).isEmpty)
        #expect(snapshotPaths(output) == ["a/index.html"])
    }

    func snapshotPaths(_ directory: String) -> [String] {
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue { paths.append(path) }
        }
        return paths.sorted()
    }

    @Test func aFailedWriteLeavesTheOldOutput() throws {
        let root = temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let output = root + "/public"
        #expect(SiteWriter.write(files: [("index.html", Data("old".utf8))], copies: [], to: output).isEmpty)
        // A copy whose source is missing fails the write.
        let problems = SiteWriter.write(files: [("index.html", Data("new".utf8))], copies: [("x.png", root + "/missing.png")], to: output)
        #expect(!problems.isEmpty)
        #expect(problems.first?.location.file == root + "/missing.png")
        #expect(try String(contentsOfFile: output + "/index.html", encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == [".public.guidegen-spare", "public"])
    }
}
