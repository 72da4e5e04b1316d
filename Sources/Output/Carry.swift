import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The writer's files in the output (`.git`, `CNAME`, a note in a folder of pages) go into the new site before the
/// swap, so readers see them in the old output and the new one alike. A file is hard-linked: it never leaves the
/// output, and the old name (in the spare after the swap) goes once the swap is done. A folder is moved (a folder
/// cannot be linked), so for the moment between the move and the swap it is only in the new site.
///
/// Before anything moves, a journal beside the output (`.NAME.guidegen-carry`) lists what is carried. A build that
/// dies between the steps leaves it, and the next build begins by settling it: if the swap did not happen, the folders
/// move back into the output; if it did, the old names of the linked files go. Nothing is ever stranded in the spare.
enum Carry {
    static let header = "guidegen carry journal 1"

    struct Entry: Equatable {
        var path: String
        var isDirectory: Bool
    }

    static func journalPath(parent: String, name: String) -> String {
        parent + "/.\(name).guidegen-carry"
    }

    /// Links or moves `entries` from `target` into `spare`, after writing the journal. Returns an error, with every
    /// entry carried so far back in place, if one cannot be carried.
    static func begin(_ entries: [Entry], from target: String, into spare: String, journal: String, output: String) -> Diagnostic? {
        guard let outputInode = FileRecords.inode(of: target), write(entries, output: outputInode, to: journal) else {
            return .error(.writeFailed, at: SourceLocation(file: journal), "cannot write guidegen's journal beside the output: \(FileSystem.lastError)",
                          hint: "check that the output's parent folder is writable and not full")
        }
        for entry in entries {
            let folder = Manifest.parent(of: entry.path)
            if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: spare + "/" + folder, withIntermediateDirectories: true) }
            let from = target + "/" + entry.path, to = spare + "/" + entry.path
            // A file (or a link) gets a second name; where the file system refuses one, it is moved like a folder.
            if !entry.isDirectory, linkat(AT_FDCWD, from, AT_FDCWD, to, 0) == 0 { continue }
            if rename(from, to) != 0 {
                let problem = Diagnostic.error(.writeFailed, at: SourceLocation(file: output + "/" + entry.path),
                                               "cannot carry this file into the new output: \(FileSystem.lastError)",
                                               hint: "it was not written by guidegen, so it is kept; check the folder's permissions")
                settle(target: target, spare: spare, journal: journal)
                return problem
            }
        }
        return nil
    }

    /// Finishes or undoes what the journal lists (see the type's comment) and removes it. Run after the swap, and at the
    /// start of every build (a build may have died between `begin` and the swap, or between the swap and this).
    static func settle(target: String, spare: String, journal: String) {
        guard let (outputInode, entries) = read(journal) else {
            unlink(journal)
            return
        }
        let swapped = FileRecords.inode(of: target) != outputInode
        // Where the output that the journal's build carried from is now, and where the new site was.
        let (old, new) = swapped ? (spare, target) : (target, spare)
        for entry in entries {
            if !swapped, !FileSystem.exists(old + "/" + entry.path), FileSystem.exists(new + "/" + entry.path) {
                // Moved into the new site, which never became the output: back where it was.
                rename(new + "/" + entry.path, old + "/" + entry.path)
                continue
            }
            // A file with two names: the one outside the output goes (only if both are the same file).
            let extra = swapped ? old : new
            let kept = swapped ? new : old
            guard !entry.isDirectory, let keptInode = inodeNoFollow(kept + "/" + entry.path) else { continue }
            _ = FileSystem.removeFile(under: extra, entry.path) { info, _ in UInt64(info.st_ino) == keptInode }
        }
        unlink(journal)
    }

    private static func inodeNoFollow(_ path: String) -> UInt64? {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    private static func write(_ entries: [Entry], output: UInt64, to journal: String) -> Bool {
        var text = header + "\noutput \(output)\n"
        for entry in entries {
            text += (entry.isDirectory ? "d " : "f ") + Manifest.encode(entry.path) + "\n"
        }
        let temporary = journal + ".tmp"
        unlink(temporary)
        return FileSystem.write(Data(text.utf8), to: temporary) != nil && rename(temporary, journal) == 0
    }

    /// The journal's output inode and entries; nil if there is none or it is not one. A line that is not a path
    /// inside the folder is left out (the journal is data, like the marker).
    static func read(_ journal: String) -> (output: UInt64, entries: [Entry])? {
        var info = stat()
        guard lstat(journal, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let data = FileManager.default.contents(atPath: journal) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count >= 2, lines[0] == header, lines[1].hasPrefix("output "), let output = UInt64(lines[1].dropFirst("output ".count)) else { return nil }
        let entries = lines.dropFirst(2).compactMap { line -> Entry? in
            guard line.count > 2, line.hasPrefix("d ") || line.hasPrefix("f "), let path = Manifest.decode(String(line.dropFirst(2))) else { return nil }
            return Entry(path: path, isDirectory: line.hasPrefix("d "))
        }
        return (output, entries)
    }
}
