import CGuidegenSystem
import Concurrency
import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The new site moved into an output that cannot be swapped: a mount point (a Docker volume, a bind mount) can be
/// neither renamed nor exchanged. The trade-off: readers may see a mix of the old and the new site for the moment
/// the files move (each file is replaced in one rename, so never a half-written one), where the swap shows one or
/// the other. The new site is written and checked in the spare first, exactly as for a swap; only then:
/// 1. the output's marker lists the old files and the new ones, so a build killed in between leaves nothing unlisted;
/// 2. folders are made, then each new file is renamed over the old one (a file that already holds the new bytes
///    is left as it is, with its time);
/// 3. old files the new site does not write are removed last (only those guidegen's records show it wrote);
/// 4. the marker lists the new files. The writer's files in the output are never moved.
enum InPlaceUpdate {
    struct Layout {
        let spare: String
        let target: String
        let parent: String
        let name: String
        let output: String
    }

    /// The record of the file at `path` if it holds the bytes `record` describes (told by its own record where that
    /// still matches, else by reading it).
    private static func holds(_ path: String, _ record: FileRecord, known: FileRecord?) -> FileRecord? {
        if let known, known.hash == record.hash, known.size == record.size, known.matches(path) { return known }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == record.size,
              FileSystem.hash(of: fd, size: record.size) == record.hash else { return nil }
        return FileRecord(hash: record.hash, size: record.size, status: info)
    }

    /// The name a file is copied to in the output before it is renamed over `path`.
    static func temporary(for path: String) -> String {
        let folder = Manifest.parent(of: path)
        return (folder.isEmpty ? "" : folder + "/") + ".guidegen-new." + Manifest.name(of: path)
    }

    /// Moves the new site's files (`paths`, already written in the spare, their records in `records`) into the output.
    static func run(_ layout: Layout, paths: [String], folders: Set<String>, records: RecordTable) -> [Diagnostic] {
        let (spare, target) = (layout.spare, layout.target)
        let place = SourceLocation(file: layout.output)
        let newSet = Set(paths)
        let old = Manifest.read(target) ?? []
        // The temporary names are listed too: a build killed while copying leaves nothing unlisted.
        guard let targetInode = FileRecords.inode(of: target), Manifest.write(old.union(newSet).union(paths.map(temporary)), to: target) else {
            return [.error(.writeFailed, at: place, "cannot write in \(target): \(FileSystem.lastError)", hint: "check that it is writable and not full")]
        }
        // What guidegen wrote in the output before, to leave alone a file that already holds the new bytes.
        let (current, _) = FileRecords.table(for: paths, folder: targetInode, parent: layout.parent, name: layout.name)
        // The old site's files that the new one does not write must be guidegen's before anything moves.
        let stale = old.subtracting(newSet).sorted()
        let claims = FileRecords.claims(for: stale, folder: targetInode, parent: layout.parent, name: layout.name)
        let unproven = stale.indices.filter { index in
            !FileSystem.removeFile(under: target, stale[index], remove: false, isOurs: { claims?.isOurs(index, $0, $1) ?? false })
        }
        if !unproven.isEmpty {
            return unproven.prefix(10).map { index in
                .error(.foreignFile, at: SourceLocation(file: layout.output + "/" + stale[index]),
                       "the output's marker lists this file, but guidegen's records do not show it wrote it as it is now, so it is not deleted",
                       hint: "if it is yours, move it out of the output; otherwise delete it, and build again")
            }
        }
        // A file of the old site where the new one needs a folder goes first (if guidegen's records show it is its own).
        let conflicting = folders.filter { old.contains($0) }.sorted()
        if !conflicting.isEmpty {
            let claims = FileRecords.claims(for: conflicting, folder: targetInode, parent: layout.parent, name: layout.name)
            for (index, folder) in conflicting.enumerated() {
                _ = FileSystem.removeFile(under: target, folder, isOurs: { claims?.isOurs(index, $0, $1) ?? false })
            }
        }
        for level in Manifest.levels(of: folders) {
            for folder in level where !FileSystem.makeDirectory(target + "/" + folder) {
                return [.error(.writeFailed, at: SourceLocation(file: layout.output + "/" + folder), "cannot create this folder in the output: \(FileSystem.lastError)",
                               hint: "something that is not a folder is there; move it away")]
            }
        }
        let moved = Array(paths.indices).parallelMap { index -> Diagnostic? in
            let path = paths[index]
            if let record = records[index], let existing = holds(target + "/" + path, record, known: current[index]) {
                records[index] = existing
                unlink(spare + "/" + path)
                return nil
            }
            // A rename cannot cross the mount point: copied beside the file in the output, then renamed over it.
            let temporary = target + "/" + Self.temporary(for: path)
            unlink(temporary)
            guard let record = FileSystem.copy(spare + "/" + path, to: temporary), rename(temporary, target + "/" + path) == 0 else {
                let problem = Diagnostic.error(.writeFailed, at: SourceLocation(file: layout.output + "/" + path),
                                               "cannot move the new file into the output: \(FileSystem.lastError)", hint: "check that the output is writable and not full")
                unlink(temporary)
                return problem
            }
            unlink(spare + "/" + path)
            // Renaming changes the file's status time: its record is taken again.
            var info = stat()
            records[index] = lstat(target + "/" + path, &info) == 0 ? FileRecord(hash: record.hash, size: record.size, status: info) : nil
            return nil
        }
        if let problem = moved.lazy.compactMap({ $0 }).first { return [problem] }
        // The old site's files that the new one does not write, then the folders that held only them.
        for (index, path) in stale.enumerated() {
            _ = FileSystem.removeFile(under: target, path, isOurs: { claims?.isOurs(index, $0, $1) ?? false })
        }
        for folder in Manifest.folders(of: old).subtracting(folders).sorted(by: >) {
            FileSystem.removeEmptyFolder(under: target, folder)
        }
        guard Manifest.write(newSet, to: target) else {
            return [.error(.writeFailed, at: place, "cannot write in \(target): \(FileSystem.lastError)", hint: "check that it is writable and not full")]
        }
        // Every folder of the output is read by the next build (writer's files live beside guidegen's here).
        FileRecords.write(records, of: paths, folders: folders.sorted().map { ($0, FolderRecord.unknown) }, for: targetInode,
                          parent: layout.parent, name: layout.name)
        // The spare's files moved out: what its marker lists is gone, and the next build writes it all again.
        _ = Manifest.write([], to: spare)
        return []
    }
}
