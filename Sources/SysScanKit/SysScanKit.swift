// SysScanKit: the domain of SysScan. One direction of flow, no back and forth:
//
//   Ingest      an upload (folder or archive, nested archives opened in place) is streamed entry by
//               entry (`UploadReader`, `ArchiveReader`); `ArtifactLocator` says what kind each entry is
//               from its path, by globs kept as data in the knowledge base.
//   Engine      a `Scanner` (one per upload) streams each artifact's bytes into the line searcher of
//               the log rules that apply to its kind, and parses configs (`XMLConfig`,
//               `PropertiesFile`) for config conditions; it turns what matched into `Finding`s.
//   Knowledge   rule files are loaded and validated (`KnowledgeBaseLoader`) and compiled once
//   base        (`RuleCompiler`) into an immutable, `Sendable` `CompiledKnowledgeBase`.
//   Reporting   a `ScanReport` renders as JSON (versioned) or text.
//
// The library never prints or exits: bad entries become warnings in the `ScanReport`, unusable input
// is a thrown `ScanError`.
