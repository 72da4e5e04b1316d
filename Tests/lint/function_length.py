#!/usr/bin/env python3
"""Keeps every function in Sources/ short enough to read in one go.

Lists each Swift function, initializer, deinitializer and subscript under Sources/ whose body is longer than
80 lines (counted from the line of its `func`/`init` keyword to the line of its closing brace) and fails
unless the doc comment just above it says why it is one piece: the words "reads best whole" followed by a
reason. Strings (with `\\(...)` interpolation, `\"\"\"` multi-line and `#"..."#` raw ones) and comments are
blanked before braces are counted, so a brace in either never counts.

    python3 Tests/lint/function_length.py [--root DIR] [--self-test]

Every run first checks its own counting on the samples at the end of this file (`--self-test` runs only that).
Exit 1 with `file:line: name is N lines (limit 80); ...` for each function over the limit.
"""

import argparse
import os
import re
import sys

LIMIT = 80
REASON = re.compile(r"reads best whole\W+(\w+\W+){2,}\w+", re.IGNORECASE | re.DOTALL)
# A declaration with a body: `func name`, `init(`, `init?(`, `init<`, `deinit {`, `subscript(`. `.init(` and
# `self.init(` are calls, not declarations.
DECLARATION = re.compile(
    r"(?<![.\w])(?:func\s+(?P<func>[^\s(<]+|[<>=!&|^~?%*/+\-.]+)|(?P<init>init)[?!]?\s*[(<]|(?P<deinit>deinit)\s*\{|(?P<subscript>subscript)\s*[(<])"
)
# A line that starts another declaration: a function without a body (a protocol's) ends before it.
NEXT_DECLARATION = re.compile(
    r"\s*(?:@|func\b|init\b|deinit\b|subscript\b|var\b|let\b|case\b|static\b|class\b|struct\b|enum\b|protocol\b|extension\b|"
    r"public\b|private\b|fileprivate\b|internal\b|open\b|mutating\b|nonisolated\b|override\b|typealias\b|associatedtype\b|#)"
)


def blank(text):
    """The text with the contents of strings and comments replaced by spaces (line breaks kept), so that only
    code is left: what braces and keywords remain are the code's."""
    out = list(text)
    n = len(text)
    i = 0
    # A stack of open contexts: ("code", paren depth in an interpolation) or ("string", hashes, multiline).
    stack = [("code", None)]

    def wipe(start, end):
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        top = stack[-1]
        if top[0] == "code":
            c = text[i]
            if text.startswith("//", i):
                end = text.find("\n", i)
                end = n if end < 0 else end
                wipe(i, end)
                i = end
            elif text.startswith("/*", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if text.startswith("/*", j):
                        depth, j = depth + 1, j + 2
                    elif text.startswith("*/", j):
                        depth, j = depth - 1, j + 2
                    else:
                        j += 1
                wipe(i, j)
                i = j
            elif c == "#" or c == '"':
                hashes = 0
                j = i
                while j < n and text[j] == "#":
                    hashes, j = hashes + 1, j + 1
                if j < n and text[j] == '"':
                    multiline = text.startswith('"""', j)
                    start = j + (3 if multiline else 1)
                    stack.append(("string", hashes, multiline))
                    i = start
                else:
                    i = j if j > i else i + 1
            elif c == "(" and top[1] is not None:
                stack[-1] = ("code", top[1] + 1)
                i += 1
            elif c == ")" and top[1] is not None:
                if top[1] == 0:
                    stack.pop()  # the end of an interpolation: back in its string
                    out[i] = " "
                else:
                    stack[-1] = ("code", top[1] - 1)
                i += 1
            else:
                i += 1
        else:
            _, hashes, multiline = top
            close = ('"""' if multiline else '"') + "#" * hashes
            escape = "\\" + "#" * hashes
            if text.startswith(close, i):
                stack.pop()
                i += len(close)
            elif text.startswith(escape, i):
                after = i + len(escape)
                if text.startswith("(", after):
                    wipe(i, after + 1)
                    stack.append(("code", 0))
                    i = after + 1
                else:
                    wipe(i, min(after + 1, n))
                    i = after + 1
            else:
                if text[i] != "\n":
                    out[i] = " "
                i += 1
    return "".join(out)


def doc_comment(lines, index):
    """The doc comment just above line `index` (0-based), past attribute lines: its text, or ""."""
    j = index - 1
    while j >= 0 and lines[j].strip().startswith("@"):
        j -= 1
    found = []
    if j >= 0 and lines[j].strip().endswith("*/"):
        while j >= 0:
            found.append(lines[j])
            if lines[j].strip().startswith("/**"):
                break
            j -= 1
        return "\n".join(reversed(found)) if found and found[-1].strip().startswith("/**") else ""
    while j >= 0 and lines[j].strip().startswith("///"):
        found.append(lines[j].strip()[3:])
        j -= 1
    return " ".join(reversed(found))


def functions(text):
    """Every function, initializer, deinitializer and subscript with a body: (name, first line, line count, doc)."""
    code = blank(text)
    lines = text.split("\n")
    line_starts = [0]
    for k, ch in enumerate(code):
        if ch == "\n":
            line_starts.append(k + 1)

    def line_of(offset):
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    result = []
    for match in DECLARATION.finditer(code):
        name = match.group("func") or match.group("init") or match.group("deinit") or match.group("subscript")
        # The body's opening brace: the first `{` outside the parameter list, its default values and generic clause.
        depth = 0
        j = match.end() - 1 if match.group("deinit") else match.start()
        body = None
        while j < len(code):
            c = code[j]
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif c == "{" and depth == 0:
                body = j
                break
            elif depth == 0 and c in "};":
                break
            elif depth == 0 and c == "\n":
                following = code[j + 1:code.find("\n", j + 1) if code.find("\n", j + 1) >= 0 else len(code)]
                if NEXT_DECLARATION.match(following) or following.strip() == "":
                    break
            elif c == "{":
                # A closure in a default value: skip it whole.
                inner, k = 1, j + 1
                while k < len(code) and inner:
                    inner += {"{": 1, "}": -1}.get(code[k], 0)
                    k += 1
                j = k
                continue
            j += 1
        if body is None:
            continue
        level, k = 1, body + 1
        while k < len(code) and level:
            level += {"{": 1, "}": -1}.get(code[k], 0)
            k += 1
        first, last = line_of(match.start()), line_of(k - 1)
        result.append((name, first + 1, last - first + 1, doc_comment(lines, first)))
    return result


def problems(path, text, shown):
    found = []
    for name, line, count, doc in functions(text):
        if count > LIMIT and not REASON.search(doc):
            found.append(f"{shown}:{line}: {name} is {count} lines (limit {LIMIT}); "
                         "split it into named steps or say in its doc comment why it reads best whole")
    return found


def sample_function(name, body_lines, doc="", signature="()"):
    lines = [f"    {doc}"] if doc else []
    lines.append(f"    func {name}{signature} {{")
    lines += [f"        let x{i} = {i}" for i in range(body_lines)]
    lines.append("    }")
    return "\n".join(lines)


def self_test():
    """Checks the counting on samples; returns the failures."""
    failures = []

    def expect(label, text, wanted):
        got = [(name, line, count) for name, line, count, _ in functions(text)]
        if got != wanted:
            failures.append(f"self-test {label}: counted {got}, expected {wanted}")

    expect("plain", "struct A {\n" + sample_function("f", 3) + "\n}\n", [("f", 2, 5)])
    expect("operator", "static func < (a: A, b: A) -> Bool {\n    a.x < b.x\n}\n", [("<", 1, 3)])
    # Braces in strings, multi-line strings, interpolations and comments do not count.
    tricky = 'enum A {\n    func g() -> String {\n        let a = "}}"  // }\n        /* { /* } */ */\n' \
             '        let b = """\n        }\n        \\(a.map { "}" })\n        """\n        return a + b + "\\("{")"\n    }\n' \
             '    func h() {}\n}\n'
    expect("strings and comments", tricky, [("g", 2, 9), ("h", 11, 1)])
    raw = 'func r() {\n    let s = #"a "} \\(x) "#\n    let t = #"""\n    }"""\n    """#\n}\n'
    expect("raw strings", raw, [("r", 1, 6)])
    # A default value that is a closure is not the body; a protocol's requirement has none; `.init(` is a call.
    defaults = 'func w(prepare: () -> Void = {}, verify: () -> [Int] = { [] }) -> Int {\n    .init(1)\n}\n' \
               'protocol P {\n    func q()\n    init(x: Int)\n}\ninit?(y: Int) {\n    self.init(x: y)\n}\n'
    expect("defaults, requirements, calls", defaults, [("w", 1, 3), ("init", 8, 3)])
    # Over the limit: fails unless the doc comment gives a reason.
    long = "struct B {\n" + sample_function("long", LIMIT) + "\n}\n"
    if len(problems("B.swift", long, "B.swift")) != 1:
        failures.append("self-test: a function of 82 lines passed")
    exact = "struct B {\n" + sample_function("exact", LIMIT - 2) + "\n}\n"
    if problems("B.swift", exact, "B.swift"):
        failures.append("self-test: a function of exactly 80 lines failed")
    reasoned = "struct B {\n" + sample_function("long", LIMIT, doc="/// One loop: it reads best whole, since each step feeds the next.") + "\n}\n"
    if problems("B.swift", reasoned, "B.swift"):
        failures.append("self-test: a function whose doc comment gives its reason failed")
    bare = "struct B {\n" + sample_function("long", LIMIT, doc="/// It reads best whole.") + "\n}\n"
    if len(problems("B.swift", bare, "B.swift")) != 1:
        failures.append("self-test: \"reads best whole\" without a reason passed")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."),
                        help="the repository (default: the one holding this script)")
    parser.add_argument("--self-test", action="store_true", help="only check the script's own counting")
    arguments = parser.parse_args()
    failures = self_test()
    if failures or arguments.self_test:
        print("\n".join(failures) or "self-test: ok", file=sys.stderr if failures else sys.stdout)
        return 1 if failures else 0
    root = os.path.normpath(arguments.root)
    found = []
    for folder, _, files in sorted(os.walk(os.path.join(root, "Sources"))):
        for name in sorted(files):
            if name.endswith(".swift"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as handle:
                    found += problems(path, handle.read(), os.path.relpath(path, root))
    print("\n".join(found), file=sys.stderr) if found else None
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
