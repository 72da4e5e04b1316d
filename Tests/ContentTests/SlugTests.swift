import TestSupport
import Testing
@testable import Content

@Suite struct SlugTests {
    @Test func asciiNamesGetTheSlugsOfTheCharacterRules() {
        // The byte path (`makeASCII`) against the Unicode path on random ASCII names.
        var random = SplitMix64(seed: 7)
        let alphabet = Array("abcXYZ09 #+-._/&(),'\"\t@AZaz")
        for _ in 0..<5000 {
            let name = String((0..<random.below(14)).map { _ in random.pick(alphabet) })
            #expect(Slug.makeASCII(name) == Slug.makeUnicode(name), "\(name.debugDescription)")
        }
        for byte in UInt8(0)..<0x80 {
            let name = "a" + String(UnicodeScalar(byte)) + "b"
            #expect(Slug.makeASCII(name) == Slug.makeUnicode(name), "byte \(byte)")
        }
    }
}
