import Foundation

/// `guidegen init`: a new site that builds and passes `check --strict` as it is, from `starter/` (embedded in
/// the binary): guidegen.yml, one role with its salary guide, FAQ and how-to guide whose front matter says
/// what each field is for, static/, .gitignore and the publish workflow (.github/workflows/publish.yml, which
/// downloads a released binary). It writes only into an empty or new folder.
public enum Starter {
    /// The starter's files, by path inside the new site.
    public static var files: [String: Data] { EmbeddedStarter.files }

    public struct Problem: Error, Sendable {
        public var message: String
        public var hint: String
    }

    /// Writes the starter into `directory` (made if missing), refusing a folder with anything in it; returns
    /// the paths written, in order.
    @discardableResult
    public static func create(at directory: String) throws(Problem) -> [String] {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw Problem(message: "\(directory) is a file, not a folder", hint: "name a new or empty folder: guidegen init my-guides")
            }
            let entries = (try? manager.contentsOfDirectory(atPath: directory)) ?? ["?"]
            guard entries.isEmpty else {
                throw Problem(message: "\(directory) is not empty (\(entries.count) entr\(entries.count == 1 ? "y" : "ies")); init writes only into an empty folder",
                              hint: "name a new folder (guidegen init my-guides), or empty this one; init never overwrites your files")
            }
        }
        let paths = files.keys.sorted()
        do {
            for path in paths {
                let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try files[path]!.write(to: url, options: .withoutOverwriting)
            }
        } catch {
            throw Problem(message: "could not write the new site into \(directory): \(error.localizedDescription)",
                          hint: "check that the folder is writable; what was written so far is in it")
        }
        return paths
    }
}
