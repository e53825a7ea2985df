// StreamMatch: searching byte streams, line by line, for many patterns at once.
//
// How the parts fit:
// - `Pattern` is one pattern as written (PCRE2 syntax plus flags); `PatternSet` compiles many of them
//   once into an immutable, `Sendable` value that many searches share.
// - Compiling reads each pattern into a `RegexSyntax` tree (`RegexParser`, which turns what it does not
//   follow into `anything`), and `LiteralExtractor` reads off that tree the literals any match must
//   contain (`LiteralRequirements`), from which the `FilterPlan`s are made.
// - A search asks the set for a `PatternSet.Session` (per search, never shared: it owns PCRE2 match
//   data), which is the `BlockMatcher` the searcher drives. The set's `FilterPlan` says which literals
//   the prefilter (`AtomFilter`, over the C loops of `CAtomScan`) looks for; a session surveys its
//   first large block and may switch to a plan made for what it measured there.
// - `LineSearcher` takes bytes in chunks of any size, hands the matcher blocks made of whole lines only
//   (rolling a partial last line over to the next chunk), counts lines, and pushes every hit to a
//   `MatchSink`.
//
// Invariant: a line that a pattern matches is reported, whatever the chunk sizes and wherever lines
// cross chunk boundaries (matchers may consider extra candidate lines, never miss one). Content is
// handled as bytes: CRLF, NUL bytes and invalid UTF-8 never stop a search.
//
// This module knows nothing of rules, YAML files or archives.
