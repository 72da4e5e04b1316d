import CYaml
import Yams

/// A composed YAML value, as the front-matter readers (`YAMLReader`) read it: a scalar, a list or a
/// mapping, with the tag and the place it was written at.
///
/// Why not Yams' `Node`: composing with Yams made an object for each event and a `Tag` object for each
/// node, hashed every mapping's keys, and each read of a node copied its tag, style, mark and anchor;
/// that was a tenth of a 10k-page build's CPU time, more than cmark-gfm parsing and rendering all the
/// bodies (`perf`). `compose` reads libyaml's events (the library Yams itself wraps, as Yams
/// carries it) straight into these values, for the YAML front matter is written in: one
/// document of scalars, lists and mappings keyed by names. Anything else (anchors and aliases, explicit
/// tags, keys that are lists or mappings, a key twice, a second document, any syntax error) is
/// composed by Yams instead and converted, so its result and its error messages stay exactly Yams'.
/// `YAMLNodeTests` composes random documents both ways and compares.
struct YAMLNode: Equatable, Sendable {
    enum Value: Equatable, Sendable {
        case scalar(Scalar)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    struct Scalar: Equatable, Sendable {
        let string: String
        /// Written without quotes and not as a block (`|`, `>`).
        let isPlain: Bool
    }

    struct Pair: Equatable, Sendable {
        let key: YAMLNode
        let value: YAMLNode
    }

    /// Line and column, both from 1; columns count Unicode scalars (as libyaml does).
    struct Mark: Equatable, Sendable {
        let line: Int
        let column: Int
    }

    let value: Value
    /// The node's tag as Yams names it: empty when none was written (implicit),
    /// `tag:yaml.org,2002:str` for a quoted scalar.
    let tag: String
    let mark: Mark

    var scalar: Scalar? {
        if case let .scalar(scalar) = value { return scalar }
        return nil
    }

    /// The text of a scalar (Yams' `Node.string`, which also looks inside a mapping for a `!!value` key).
    var string: String? {
        switch value {
        case let .scalar(scalar): return scalar.string
        case let .mapping(pairs): return pairs.first { $0.key.tag == YAMLNode.valueTag }?.value.string
        case .sequence: return nil
        }
    }

    /// The value of the first key written as `key` in a mapping.
    subscript(key: String) -> YAMLNode? {
        guard case let .mapping(pairs) = value else { return nil }
        return pairs.first { $0.key.string == key }?.value
    }

    static let stringTag = "tag:yaml.org,2002:str"
    static let valueTag = "tag:yaml.org,2002:value"
}

// MARK: - Composing

extension YAMLNode {
    enum Composed: Equatable {
        case node(YAMLNode)
        /// No document at all (empty text, or only comments).
        case empty
        /// A form `compose` leaves to Yams (see the type's comment).
        case unsupported
    }

    /// The single document of `text`, composed from libyaml's events.
    static func compose(_ text: String) -> Composed {
        var text = text
        text.makeContiguousUTF8()
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return .unsupported }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        return text.utf8.withContiguousStorageIfAvailable { bytes in
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var composer = Composer()
            return composer.run(&parser)
        } ?? .unsupported
    }

    /// Builds the tree as the events arrive, with a stack instead of recursion.
    fileprivate struct Composer {
        enum Open {
            case sequence(mark: Mark, items: [YAMLNode])
            case mapping(mark: Mark, pairs: [Pair], key: YAMLNode?, keys: Set<String>)
        }

        var open: [Open] = []
        var root: YAMLNode?
        var documents = 0

        mutating func run(_ parser: inout yaml_parser_t) -> Composed {
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return .unsupported }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
                    continue
                case YAML_DOCUMENT_START_EVENT:
                    // Yams reads one document and wants the stream to end after it.
                    documents += 1
                    if documents > 1 { return .unsupported }
                case YAML_STREAM_END_EVENT:
                    return root.map(Composed.node) ?? .empty
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    guard scalar.anchor == nil, scalar.tag == nil || scalar.quoted_implicit == 1 else { return .unsupported }
                    // libyaml checks its input is UTF-8 and refuses escapes of surrogates or beyond
                    // U+10FFFF, so a value is valid UTF-8 (Yams relies on it too, with a force unwrap).
                    let string = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    let node = YAMLNode(value: .scalar(Scalar(string: string, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE)),
                                        tag: scalar.quoted_implicit == 1 ? YAMLNode.stringTag : "", mark: Self.mark(event))
                    guard add(node) else { return .unsupported }
                case YAML_SEQUENCE_START_EVENT:
                    guard event.data.sequence_start.anchor == nil, event.data.sequence_start.tag == nil else { return .unsupported }
                    open.append(.sequence(mark: Self.mark(event), items: []))
                case YAML_MAPPING_START_EVENT:
                    guard event.data.mapping_start.anchor == nil, event.data.mapping_start.tag == nil else { return .unsupported }
                    open.append(.mapping(mark: Self.mark(event), pairs: [], key: nil, keys: []))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    let node: YAMLNode
                    switch open.removeLast() {
                    case let .sequence(mark, items): node = YAMLNode(value: .sequence(items), tag: "", mark: mark)
                    case let .mapping(mark, pairs, _, _): node = YAMLNode(value: .mapping(pairs), tag: "", mark: mark)
                    }
                    guard add(node) else { return .unsupported }
                default:
                    // An alias, or an event this file does not know.
                    return .unsupported
                }
            }
        }

        /// Puts a finished node where it belongs; false for a key Yams would compose differently
        /// (not a scalar) or reject (written twice in its mapping).
        mutating func add(_ node: YAMLNode) -> Bool {
            guard let last = open.indices.last else {
                root = node
                return true
            }
            switch open[last] {
            case .sequence(let mark, var items):
                open[last] = .sequence(mark: mark, items: [])
                items.append(node)
                open[last] = .sequence(mark: mark, items: items)
            case .mapping(let mark, var pairs, let key, var keys):
                open[last] = .mapping(mark: mark, pairs: [], key: nil, keys: [])
                if let key {
                    pairs.append(Pair(key: key, value: node))
                    open[last] = .mapping(mark: mark, pairs: pairs, key: nil, keys: keys)
                } else {
                    guard case let .scalar(scalar) = node.value, keys.insert(scalar.string).inserted else { return false }
                    // Yams resolves a key's tag when it checks the keys for duplicates: `str`, as keys
                    // here are plain or quoted text.
                    let key = YAMLNode(value: node.value, tag: YAMLNode.stringTag, mark: node.mark)
                    open[last] = .mapping(mark: mark, pairs: pairs, key: key, keys: keys)
                }
            }
            return true
        }

        static func mark(_ event: yaml_event_t) -> Mark {
            Mark(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        }
    }
}

// MARK: - Control characters

extension YAMLNode {
    /// Each scalar (keys included) holding a character no page may show, with the first such character:
    /// see `firstForbiddenCharacter`. libyaml refuses them written as they are, but escapes in quoted
    /// text (`"\x01"`, `"\0"`, `"\e"`, `"\uFFFE"`) decode to them.
    func forbiddenCharacters() -> [(mark: Mark, character: Unicode.Scalar)] {
        var found: [(mark: Mark, character: Unicode.Scalar)] = []
        var pending: [YAMLNode] = [self]
        while let node = pending.popLast() {
            switch node.value {
            case let .scalar(scalar):
                if let character = YAMLNode.firstForbiddenCharacter(in: scalar.string) { found.append((node.mark, character)) }
            case let .sequence(items):
                pending.append(contentsOf: items.reversed())
            case let .mapping(pairs):
                for pair in pairs.reversed() { pending.append(pair.value); pending.append(pair.key) }
            }
        }
        return found
    }

    /// The first character of `text` that is a control character other than tab and line feed (C0,
    /// DEL, C1), or a noncharacter (U+FDD0-U+FDEF, and U+FFFE and U+FFFF in every plane): XML cannot
    /// carry most of them (one in a title made the feed ill-formed) and none means anything on a page.
    /// Swift strings hold no lone surrogates, and libyaml refuses escapes of them.
    static func firstForbiddenCharacter(in text: String) -> Unicode.Scalar? {
        var text = text
        // A byte pass over the UTF-8 finds the lead bytes such characters start with; only then decode.
        let suspect = text.withUTF8 { bytes in
            bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xEF || $0 >= 0xF0 }
        }
        guard suspect else { return nil }
        return text.unicodeScalars.first { isForbidden($0) }
    }

    static func isForbidden(_ character: Unicode.Scalar) -> Bool {
        let value = character.value
        if value == 0x09 || value == 0x0A { return false }
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE
    }
}

// MARK: - Aliases

extension YAMLNode {
    /// The most nodes aliases may add to one document, all aliases together (each alias adds as many
    /// nodes as the value it names holds). Front matter has a few hundred nodes; an alias of an alias
    /// multiplies, so a few hundred bytes of nested aliases would otherwise expand to billions of nodes
    /// (as libyaml-based loaders do, the expansion is bounded instead).
    static let maximumAliasNodes = 10_000

    /// An alias that would take the document past `maximumAliasNodes`.
    struct AliasExpansion: Equatable {
        let mark: Mark
        /// The nodes all aliases up to this one add, this one included.
        let nodes: Int
    }

    /// The first alias at which the nodes all aliases add would exceed `maximumAliasNodes`, found from
    /// libyaml's events alone (no tree is made): each anchor's node count is known when its value ends,
    /// and each alias adds its anchor's count. Nil when the document stays within the limit, and for
    /// text libyaml cannot parse (composing reports that).
    static func aliasExpansion(_ text: String) -> AliasExpansion? {
        var text = text
        text.makeContiguousUTF8()
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        return text.utf8.withContiguousStorageIfAvailable { bytes -> AliasExpansion? in
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            // Per open list or mapping: its anchor and the nodes in it so far (itself included).
            var open: [(anchor: String?, nodes: Int)] = []
            var anchors: [String: Int] = [:]
            var added = 0
            var event = yaml_event_t()
            func name(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? { pointer.map { String(cString: $0) } }
            // Counts finished nodes into the collection holding them.
            func finish(_ nodes: Int, anchor: String?) {
                if let anchor { anchors[anchor] = nodes }
                if !open.isEmpty { open[open.count - 1].nodes += nodes }
            }
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    finish(1, anchor: name(event.data.scalar.anchor))
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), 1))
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    let closed = open.removeLast()
                    finish(closed.nodes, anchor: closed.anchor)
                case YAML_ALIAS_EVENT:
                    // An alias of an unknown anchor is an error composing reports; it adds nothing here.
                    let nodes = name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 0
                    // Each count is at most the document's own nodes plus the limit: this cannot overflow.
                    added += nodes
                    if added > maximumAliasNodes {
                        return AliasExpansion(mark: Composer.mark(event), nodes: added)
                    }
                    finish(nodes, anchor: nil)
                default:
                    continue
                }
            }
        } ?? nil
    }
}

// MARK: - From Yams

extension YAMLNode {
    /// The same value as Yams composed it.
    init(_ node: Node) {
        let mark = node.mark.map { Mark(line: $0.line, column: $0.column) } ?? Mark(line: 1, column: 1)
        switch node {
        case let .scalar(scalar):
            self.init(value: .scalar(Scalar(string: scalar.string, isPlain: scalar.style == .plain)), tag: scalar.tag.rawValue, mark: mark)
        case let .sequence(sequence):
            self.init(value: .sequence(sequence.map(YAMLNode.init)), tag: sequence.tag.rawValue, mark: mark)
        case let .mapping(mapping):
            self.init(value: .mapping(mapping.map { Pair(key: YAMLNode($0.key), value: YAMLNode($0.value)) }), tag: mapping.tag.rawValue, mark: mark)
        case .alias:
            // Composing replaces every alias with the node it names, so a composed tree holds none.
            self.init(value: .scalar(Scalar(string: "", isPlain: true)), tag: "", mark: mark)
        }
    }
}
