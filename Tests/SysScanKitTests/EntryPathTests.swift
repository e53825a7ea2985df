import Testing

@testable import SysScanKit

/// Entry names that would leave the upload's root if used as paths, and names that only look odd.
struct EntryPathTests {
    @Test(arguments: [
        ("/etc/passwd", true), ("\\windows\\system32", true), ("C:evil", true), ("../x", true),
        ("a/../../x", true), ("a\\..\\..\\x", true), ("a/./../..", true), ("..", true),
        ("a/../b", false), ("logs/catalina.out", false), ("a..b/c", false), ("...", false), ("a/..b/..c", false),
        ("./a/b", false), ("", false), ("a//b/../c", false), ("x/..", false),
    ])
    func escapesRoot(path: String, escapes: Bool) {
        #expect(UploadReader.escapesRoot(path) == escapes)
    }

    @Test(arguments: [
        ([UInt8]("plain text\twith tabs\r\n\u{1B}[0m colours\u{0C}".utf8), false),
        ([UInt8]("text with a NUL \0 byte".utf8), true),
        (Array(repeating: UInt8(1), count: 20) + Array("some text to go with it all".utf8), true),
        (Array("mostly text, some \u{01}\u{02} control bytes in a long line of text".utf8), false),
        ([], false),
    ])
    func looksBinary(prefix: [UInt8], binary: Bool) {
        #expect(ContentSniffer.looksBinary(prefix) == binary)
    }
}
