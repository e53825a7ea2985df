import Testing

@testable import SysScanKit

/// Case numbers as support writes them: `C` and 7 digits.
struct CaseNumberTests {
    @Test(arguments: ["C1234567", "C0000000", "C9999999"])
    func aCAndSevenDigitsIsACaseNumber(text: String) throws {
        let number = try #require(CaseNumber(text))
        #expect(number.description == text)
        #expect(Scanner.isCaseNumber(text), "the scanner's check agrees")
    }

    @Test(arguments: [
        "", "C", "1234567", "c1234567", "C123456", "C12345678", " C1234567", "C1234567 ", "C123456a", "C１２３４５６７",
        "C123456٣", "CC1234567",
    ])
    func anythingElseIsNot(text: String) {
        #expect(CaseNumber(text) == nil)
        #expect(!Scanner.isCaseNumber(text), "the scanner's check agrees")
    }

    @Test func theSpoolReadsTheCaseFromAFileNameOnlyWhenItIsACaseNumber() {
        #expect(Spool.metadata(fromName: "C1234567_appnode-01_2026-11-20.zip").supportCase == "C1234567")
        #expect(Spool.metadata(fromName: "C1234567_appnode-01_2026-11-20.zip").system == "appnode-01")
        #expect(Spool.metadata(fromName: "c1234567_appnode-01.zip").supportCase == nil)
        #expect(Spool.metadata(fromName: "C12345678_appnode-01.zip").supportCase == nil)
    }
}
