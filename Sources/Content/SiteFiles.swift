import Diagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the files of one of the site's folders (content/, static/, a theme) without ever
/// leaving the site folder: a symbolic link may point anywhere inside it, and one that
/// resolves outside it, or points at nothing, is an error naming the link. Folder loops
/// (a link back to a folder being listed) are found by device and inode and reported once.
public struct SiteFiles: Sendable {
    /// The site folder with every symbolic link resolved.
    public let root: String

    /// Nil when the site folder does not exist.
    public init?(siteDirectory: String) {
        guard let resolved = SiteFiles.resolve(siteDirectory) else { return nil }
        root = resolved
    }

    public struct Listing: Sendable {
        /// Regular files, relative to the listed folder, sorted.
        public var files: [String] = []
        /// Per file: what `stat` said, to tell a changed file from an unchanged one without reading it.
        public var stamps: [String: FileStamp] = [:]
        public var diagnostics: [Diagnostic] = []
        /// With `HiddenNames.publishedIfHostsReadThem`: files and folders (a folder with a trailing `/`)
        /// whose names start with a dot and are not published, relative to the listed folder, sorted.
        public var leftOut: [String] = []
    }

    /// What a listing does with names that start with a dot.
    public enum HiddenNames: Sendable {
        /// Left out and not recorded (content/, a theme: editors' and tools' files).
        case skipped
        /// Listed when hosts read them (`publishedHiddenNames`); the others left out and recorded in
        /// `Listing.leftOut` (static/).
        case publishedIfHostsReadThem
    }

    /// Names starting with a dot that static hosts read, so static/ publishes them: `.well-known/`
    /// (RFC 8615: security.txt, domain and app verification), `.nojekyll` (GitHub Pages) and `.htaccess`
    /// (Apache). `_headers` and `_redirects` (Netlify, Cloudflare Pages) start with no dot.
    public static let publishedHiddenNames: Set<String> = [".well-known", ".nojekyll", ".htaccess"]

    /// Size, times and inode of a file: any write or replacement changes at least one of them.
    public struct FileStamp: Sendable, Hashable {
        var size: Int64
        public internal(set) var modified: Int64
        var modifiedNanoseconds: Int
        var changed: Int64
        var changedNanoseconds: Int
        var inode: UInt64
        var device: UInt64

        init(_ info: stat) {
            size = Int64(info.st_size)
            #if os(Linux)
            let (modification, change) = (info.st_mtim, info.st_ctim)
            #else
            let (modification, change) = (info.st_mtimespec, info.st_ctimespec)
            #endif
            modified = Int64(modification.tv_sec)
            modifiedNanoseconds = Int(modification.tv_nsec)
            changed = Int64(change.tv_sec)
            changedNanoseconds = Int(change.tv_nsec)
            inode = UInt64(info.st_ino)
            device = UInt64(info.st_dev)
        }
    }

    /// Regular files under `folder` (a path inside the site folder, like `content`), relative to it.
    /// Hidden files and folders are skipped; so are sockets, pipes and devices (with a warning).
    /// A missing folder lists nothing.
    ///
    /// With `stamps` false, regular files are known from the folder listing alone (no `stat` each),
    /// for a caller told by other means which files changed; `Listing.stamps` is then empty for them.
    public func list(_ folder: String, stamps: Bool = true, hidden: HiddenNames = .skipped) -> Listing {
        var listing = Listing()
        let start = root + "/" + folder
        var info = stat()
        guard lstat(start, &info) == 0 else { return listing }
        guard let resolved = checkLink(start, shownAs: folder, info: &info, into: &listing) else { return listing }
        guard isDirectory(info) else {
            listing.diagnostics.append(.error(.notAFolder, at: SourceLocation(file: folder), "\(folder) is not a folder",
                                              hint: "remove or rename the file \(folder)"))
            return listing
        }
        var open: Set<FileID> = []
        var reportedLoops: Set<FileID> = []
        walk(resolved, shownAs: folder, relative: "", id: FileID(info), stamps: stamps, hidden: hidden,
             open: &open, reportedLoops: &reportedLoops, into: &listing)
        listing.files.sort()
        listing.leftOut.sort()
        return listing
    }

    /// Whether the file at `path` (relative to the site folder) stays inside it once links are resolved;
    /// an error naming it if not. A missing file is fine (the caller reports it as missing).
    public func checkInside(_ path: String) -> Diagnostic? {
        var listing = Listing()
        var info = stat()
        guard lstat(root + "/" + path, &info) == 0 else { return nil }
        _ = checkLink(root + "/" + path, shownAs: path, info: &info, into: &listing)
        return listing.diagnostics.first
    }

    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    private func walk(_ path: String, shownAs shown: String, relative: String, id: FileID, stamps: Bool, hidden: HiddenNames,
                      open: inout Set<FileID>, reportedLoops: inout Set<FileID>, into listing: inout Listing) {
        open.insert(id)
        defer { open.remove(id) }
        guard let handle = opendir(path) else {
            listing.diagnostics.append(.error(.unreadableFile, at: SourceLocation(file: shown), "cannot read this folder: \(String(cString: strerror(errno)))",
                                              hint: "check its permissions"))
            return
        }
        defer { closedir(handle) }
        var names: [(name: String, type: UInt8)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String? in
                let characters = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
                // A hidden name where they are skipped is not looked at, whatever its bytes ("." is skipped below).
                if case .skipped = hidden, characters.pointee == CChar(UInt8(ascii: ".")) { return "." }
                return String(validatingCString: characters)
            }
            guard let name else {
                // A name that is not UTF-8 cannot become a URL or a path in a message: an error, never skipped.
                let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
                let escaped = SiteFiles.escaped(bytes)
                listing.diagnostics.append(.error(.notUTF8, at: SourceLocation(file: shown + "/" + escaped),
                                                  "the name `\(escaped)` is not UTF-8 text (each \\x is a byte that is not); it is left out",
                                                  hint: "rename it so that its name is UTF-8 text (`convmv -f latin1 -t utf8 --notest NAME` converts a Latin-1 name)"))
                continue
            }
            if name == "." || name == ".." { continue }
            if name.hasPrefix(".") {
                guard case .publishedIfHostsReadThem = hidden else { continue }
                guard SiteFiles.publishedHiddenNames.contains(name) else {
                    let childRelative = relative.isEmpty ? name : relative + "/" + name
                    listing.leftOut.append(childRelative + (entry.pointee.d_type == UInt8(DT_DIR) ? "/" : ""))
                    continue
                }
            }
            names.append((name, entry.pointee.d_type))
        }
        for (name, type) in names.sorted(by: { $0.name < $1.name }) {
            let childPath = path + "/" + name
            let childShown = shown + "/" + name
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            if !stamps, type == UInt8(DT_REG) {
                listing.files.append(childRelative)
                continue
            }
            var info = stat()
            // Relative to the open folder: one path component to look up, not the whole path.
            guard fstatat(dirfd(handle), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            guard let resolved = checkLink(childPath, shownAs: childShown, info: &info, into: &listing) else { continue }
            if isDirectory(info) {
                let childID = FileID(info)
                if open.contains(childID) {
                    if reportedLoops.insert(childID).inserted {
                        listing.diagnostics.append(.error(.folderLoop, at: SourceLocation(file: childShown),
                                                          "\(childShown) is a symbolic link back to a folder that contains it (a loop)",
                                                          hint: "remove the link, or point it at a folder outside this one"))
                    }
                    continue
                }
                walk(resolved, shownAs: childShown, relative: childRelative, id: childID, stamps: stamps, hidden: hidden,
                     open: &open, reportedLoops: &reportedLoops, into: &listing)
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                listing.files.append(childRelative)
                listing.stamps[childRelative] = FileStamp(info)
            } else {
                listing.diagnostics.append(.warning(.specialFile, at: SourceLocation(file: childShown), "not a regular file (a pipe, socket or device), left out",
                                                    hint: "remove it from the site folder"))
            }
        }
    }

    /// For a symbolic link: its target if that is inside the site folder (with `info` now describing
    /// the target), else nil and an error. For anything else: the path itself.
    private func checkLink(_ path: String, shownAs shown: String, info: inout stat, into listing: inout Listing) -> String? {
        guard (info.st_mode & S_IFMT) == S_IFLNK else { return path }
        guard let target = SiteFiles.resolve(path) else {
            let loop = errno == ELOOP
            listing.diagnostics.append(.error(.symlinkBroken,
                at: SourceLocation(file: shown),
                loop ? "\(shown) is a symbolic link in a loop of links" : "\(shown) is a symbolic link to a file that does not exist",
                hint: "remove the link or point it at a file inside the site folder"))
            return nil
        }
        guard target == root || target.hasPrefix(root == "/" ? "/" : root + "/") else {
            listing.diagnostics.append(.error(.symlinkOutside,
                at: SourceLocation(file: shown),
                "\(shown) is a symbolic link to \(target), outside the site folder",
                hint: "guidegen reads and publishes only what is inside the site folder; copy the file in, or remove the link"))
            return nil
        }
        guard stat(target, &info) == 0 else { return nil }
        return target
    }

    /// A file name's bytes as text, each byte that is not part of valid UTF-8 written `\xFF`.
    static func escaped(_ bytes: [UInt8]) -> String {
        var result = ""
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            if index + length <= bytes.count, let character = String(validating: bytes[index..<(index + length)], as: UTF8.self) {
                result += character
                index += length
            } else {
                result += "\\x" + String(lead, radix: 16)
                index += 1
            }
        }
        return result
    }

    private func isDirectory(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }

    /// The absolute path with every link resolved; nil (with errno) if it cannot be.
    static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
