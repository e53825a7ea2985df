import Testing

@testable import SysScanKit

struct PropertiesFileTests {
    // Forms from the java.util.Properties.load documentation.
    static let text = """
        # comment
        ! another comment
        plain=value
        spaced\\ key\\ with\\ blanks = spaced value
        colon:yes
        whitespace   separated value
        continued = first, \\
                    second
        unicode=caf\\u00e9
        empty=
        duplicate=one
        duplicate=two\r
        """

    @Test func keysValuesAndLinesFollowJavaProperties() {
        let file = PropertiesFile(text: Self.text)
        #expect(file["plain"] == .init(value: "value", line: 3))
        #expect(file["spaced key with blanks"]?.value == "spaced value")
        #expect(file["colon"]?.value == "yes")
        #expect(file["whitespace"]?.value == "separated value")
        #expect(file["continued"] == .init(value: "first, second", line: 7))
        #expect(file["unicode"]?.value == "café")
        #expect(file["empty"]?.value == "")
        #expect(file["duplicate"] == .init(value: "two", line: 12))
        #expect(file["comment"] == nil)
    }

    static let comparisons: [(PropertyCondition.Operator, String?, String?, String?, Bool)] = [
        (.eq, "false", nil, "false", true),
        (.eq, "false", nil, "FALSE", true),
        (.eq, "false", "true", nil, false),
        (.eq, "false", "false", nil, true),
        (.ne, "true", nil, "false", true),
        (.gt, "100", nil, "150", true),
        (.gt, "100", nil, "abc", false),
        (.le, "20000", nil, "20000", true),
        (.contains, "SSLv3", nil, "TLSv1.2,SSLv3", true),
        (.matches, "^TLSv1(\\.1)?$", nil, "TLSv1.1", true),
        (.absent, nil, nil, nil, true),
        (.present, nil, nil, nil, false),
        (.eq, "1", nil, nil, false),
    ]

    @Test(arguments: comparisons)
    func propertyConditionsUseTheEffectiveValue(
        op: PropertyCondition.Operator, value: String?, defaultValue: String?, actual: String?, expected: Bool
    ) throws {
        let condition = PropertyCondition(key: "k", op: op, value: value, defaultValue: defaultValue)
        let file = PropertiesFile(text: actual.map { "other=1\nk=\($0)\n" } ?? "other=1\n")
        let hits = try PropertyCondition.Compiled(condition).evaluate(file)
        #expect(!hits.isEmpty == expected)
        if let hit = hits.first, actual != nil { #expect(hit.line == 2) }
    }

    @Test func aMatchesValueThatIsNoRegexFailsWhenCompiledNotWhenScanned() {
        let condition = PropertyCondition(key: "k", op: .matches, value: "TLSv1(", defaultValue: nil)
        #expect(throws: ValueTest.Invalid.self) { try PropertyCondition.Compiled(condition) }
    }
}
