import ArgumentParser
import SysScanKit

/// A rule category as a command-line value: its values are listed in the help and offered by shell
/// completion, and anything else is a usage error.
extension SysScanKit.Category: ExpressibleByArgument {}
