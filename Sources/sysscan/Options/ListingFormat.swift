import ArgumentParser

/// The `--format` of the commands that list or compare scans: text for people, JSON for scripts.
enum ListingFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
