import Foundation

/// What running a chapter produced: per-block output, figures, checks, inline values.
///
/// This is what the cache stores, so it holds data only, never HTML.
public struct ChapterResult: Sendable, Codable, Equatable {
  public var blocks: [BlockResult]
  public var checks: [CheckResult]
  /// Text of inline expression i, nil if the program never reached it.
  public var inlineValues: [String?]
  /// Compile and runtime errors, timeouts, traps.
  public var diagnostics: [Diagnostic]
  /// Whether the program ran to its end.
  public var completed: Bool
  /// Seconds spent compiling and running (zero when served from the cache).
  public var compileSeconds: Double
  public var runSeconds: Double
  /// Whether this result came from the cache.
  public var cached: Bool
  /// Whether running the same code again must give this result, so it may be cached: not after
  /// a failed compile, a timeout, or a kill from outside (the machine's load is not the chapter's).
  public var reproducible: Bool = false
  /// Set when this run resumed from a checkpoint instead of running every block (never cached).
  public var resumed: Resumption?
  /// What the run says about its checkpoints (resumed, could not resume, could not save); shown
  /// by `run` and never cached, since it describes this run, not the chapter.
  public var runNotes: [Diagnostic] = []

  public init(cellCount: Int, expressionCount: Int) {
    blocks = (0..<cellCount).map { BlockResult(cell: $0) }
    checks = []
    inlineValues = Array(repeating: nil, count: expressionCount)
    diagnostics = []
    completed = false
    compileSeconds = 0
    runSeconds = 0
    cached = false
  }
}

/// Where a resumed run started: after the block at `line` (its opening fence) in `section`,
/// skipping `skippedSeconds` of the work that led there.
public struct Resumption: Sendable, Codable, Equatable {
  public var line: Int
  public var section: String?
  public var skippedSeconds: Double
  public var restoreSeconds: Double
}

/// The result of one cell.
public struct BlockResult: Sendable, Codable, Equatable {
  public var cell: Int
  /// Whether the program entered this block.
  public var ran: Bool = false
  public var output: String = ""
  /// Set when the output was cut to the display limit.
  public var truncatedBytes: Int = 0
  public var figures: [Figure] = []
  /// Runtime error text (trap message) if the program died in this block.
  public var error: String?

  public init(cell: Int) { self.cell = cell }
}

/// A figure a block displayed; the bytes are kept so the renderer never reads the executor's files.
public struct Figure: Sendable, Codable, Equatable {
  /// `table` and `explorable` figures hold JSON (`TablePayload`, `ExplorablePayload`).
  public enum Format: String, Sendable, Codable { case svg, png, table, explorable }
  public var format: Format
  public var data: Data
  public var altText: String
  public var caption: String?
  /// `fig-name` (`tbl-name` for a table) for cross-references.
  public var label: String?
  /// The Markdown line of the `display` call.
  public var line: Int?
}

/// One `check(...)` or expected-output comparison, with its verdict.
public struct CheckResult: Sendable, Codable, Equatable {
  public enum Kind: String, Sendable, Codable { case check, output }
  public var kind: Kind
  public var label: String
  public var value: String
  public var expectation: String
  public var passed: Bool
  public var detail: String?
  public var location: SourceLocation
  /// The cell whose code made the check (badges are drawn under it).
  public var cell: Int?
  /// The exercise a `grade(...)` call graded.
  public var exercise: String?
  /// For a failed grade: the digest of the value it got (shown in the instructor edition only).
  public var valueDigest: String?
}
