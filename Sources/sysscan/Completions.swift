import ArgumentParser
import Foundation
import SysScanKit

/// What shell completion offers for the values only the knowledge base knows (rule ids, support plans),
/// and the bash script's fallback to file names.
///
/// The knowledge base is the one the command line names with `--knowledge-base`, else the one a command
/// would find (see `KnowledgeBaseLocator`); without one there is nothing to offer.
enum Completions {
    /// The rule ids of the knowledge base: the names of its rule files (one file per rule, named by its id).
    static let ruleIDs = CompletionKind.custom { words, _, _ in
        guard let directory = knowledgeBase(in: words) else { return [] }
        return KnowledgeBaseLoader().ruleFiles(in: directory).map {
            (($0 as NSString).lastPathComponent as NSString).deletingPathExtension
        }
    }

    /// The plans of the knowledge base's support policy.
    static let plans = CompletionKind.custom { words, _, _ in
        guard let directory = knowledgeBase(in: words) else { return [] }
        let path = (directory as NSString).appendingPathComponent(SupportPolicy.fileName)
        return ((try? SupportPolicy.load(path: path))?.plans.keys.sorted()) ?? []
    }

    /// The folders of SPOOL/failed/ (`spool retry SPOOL NAME...`).
    static let failedUploads = CompletionKind.custom { words, _, _ in
        guard let retry = words.firstIndex(of: "retry") else { return [] }
        var index = retry + 1
        while index < words.count, words[index].hasPrefix("-") {
            index += ["--db", "--knowledge-base"].contains(words[index]) ? 2 : 1
        }
        guard index < words.count else { return [] }
        let failed = (words[index] as NSString).appendingPathComponent("failed")
        return ((try? FileManager.default.contentsOfDirectory(atPath: failed)) ?? []).sorted()
    }

    /// The knowledge-base folder the command line being completed names, else the one found by default.
    static func knowledgeBase(in words: [String]) -> String? {
        for (index, word) in words.enumerated() {
            if word == "--knowledge-base", index + 1 < words.count { return words[index + 1] }
            if word.hasPrefix("--knowledge-base=") { return String(word.dropFirst("--knowledge-base=".count)) }
        }
        return KnowledgeBaseLocator.defaultDirectory()
    }

    /// The completion script the parser generated, unchanged for zsh and fish; a bash script registers its
    /// function with `-o default` instead, so that bash completes file names where the script offers
    /// nothing (an upload after `sysscan`, whose default subcommand is scan).
    static func script(_ generated: String) -> String {
        guard generated.hasPrefix("#!/bin/bash") else { return generated }
        return generated.replacingOccurrences(
            of: "\ncomplete -o filenames -F ", with: "\ncomplete -o default -o filenames -F ")
    }
}
