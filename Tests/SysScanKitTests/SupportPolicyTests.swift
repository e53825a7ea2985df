import Foundation
import Testing

@testable import SysScanKit

/// The project's support policy maps case severities to priorities one to one: 0 → P1, 1 → P2, 2 → P3,
/// 3 → P4 (as `support-policy.yaml`'s comment says).
struct SupportPolicyTests {
    @Test(arguments: [(0, "P1", "2.5 h"), (1, "P2", "8 h"), (2, "P3", "24 h"), (3, "P4", "48 h")])
    func eachCaseSeverityHasItsOwnPriority(severity: Int, priority: String, response: String) throws {
        let policy = try SupportPolicy.load(path: Fixtures.knownIssues + "/support-policy.yaml")
        let target = try #require(policy.target(plan: "priority", severity: severity))
        #expect(target.hasPrefix("P1-P4: response \(response),"))
        #expect(target.contains("(\(priority), "))
    }
}
