import Diagnostics
import Testing

@Suite struct TerminalTextTests {
    @Test func controlsAreWrittenOut() {
        #expect("a\u{1B}[2Jb".terminalSafe == "a\\x1b[2Jb")
        #expect("\u{1B}]0;owned\u{07}".terminalSafe == "\\x1b]0;owned\\x07")
        #expect("x\ry".terminalSafe == "x\\x0dy")
        #expect("\u{0}\u{7F}\u{85}\u{9B}".terminalSafe == "\\x00\\x7f\\u{0085}\\u{009b}")
        #expect("abc\u{202E}txt.exe".terminalSafe == "abc\\u{202e}txt.exe")
        // What a terminal only shows is left alone: text, tabs, line feeds, accents and emoji.
        let plain = "Ingénieur\tdata\nline 2 — 🚀 «ok»"
        #expect(plain.terminalSafe == plain)
    }

    @Test func everyDiagnosticIsSafeToPrint() {
        let diagnostic = Diagnostic.error(.unknownKey, at: SourceLocation(file: "content/roles/\u{1B}[2J.md", line: 3, column: 1),
                                          "unknown key `\u{1B}]0;title\u{07}`", hint: "remove it\r\u{1B}[Kok: 0 errors")
        for text in [diagnostic.description, diagnostic.githubCommand] {
            #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x0D }, "\(text)")
        }
        #expect(diagnostic.description.contains("unknown key `\\x1b]0;title\\x07`"))
    }
}
