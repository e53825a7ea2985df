/// A leaf condition compiled once with the knowledge base: what a scan evaluates, immutable and shared by
/// every scan and thread.
///
/// Each kind's compiling and evaluation lives beside its condition type
/// (`LogCondition`, `XPathQuery`, `PropertyCondition`, `DirectiveCondition`, `JVMOptionCondition`,
/// `FileCondition`).
enum CompiledCondition: Sendable {
    /// Lines matching a pattern (the patterns are in the kinds' pattern sets).
    case log(LogCondition)
    /// An XPath expression, compiled.
    case xpath(XPathQuery)
    /// A key of a `.properties` file compared.
    case property(PropertyCondition.Compiled)
    /// A directive of an httpd- or sshd-style file compared.
    case directive(DirectiveCondition.Compiled)
    /// A JVM option compared.
    case jvmOption(JVMOptionCondition.Compiled)
    /// Files of the upload matching a glob.
    case file(FileCondition.Compiled)
    /// A fact detected about the upload.
    case fact(FactCondition)
    /// A package installed in an affected version.
    case package(PackageCondition)
    /// A certificate expired, expiring, weak or SHA-1 signed.
    case certificate(CertificateCondition)

    /// Compiles a leaf condition (never a combination).
    ///
    /// - Returns: nil for a combination.
    /// - Throws: a description of what does not compile.
    static func compile(_ condition: Condition) throws(CompileFailure) -> CompiledCondition? {
        do {
            switch condition {
            case let .log(log): return .log(log)
            case let .xpath(expression): return .xpath(try XPathQuery(expression))
            case let .property(property): return .property(try PropertyCondition.Compiled(property))
            case let .directive(directive): return .directive(try DirectiveCondition.Compiled(directive))
            case let .jvmOption(option): return .jvmOption(try JVMOptionCondition.Compiled(option))
            case let .file(file): return .file(try FileCondition.Compiled(file))
            case let .fact(fact): return .fact(fact)
            case let .package(package): return .package(package)
            case let .certificate(certificate): return .certificate(certificate)
            case .all, .any, .not: return nil
            }
        } catch {
            throw CompileFailure(description: "\(error)")
        }
    }

    /// Why a condition does not compile.
    struct CompileFailure: Error, CustomStringConvertible {
        let description: String
    }
}
