/// One record a chapter program writes on its side channel (a JSON-lines file), never on stdout.
///
/// The engine reads the records back after the program ends, or after it traps: each is written
/// with a single unbuffered `write(2)`, so every record before a crash survives it.
public struct RuntimeEvent: Codable, Equatable, Sendable {
  public enum Kind: String, Codable, Sendable {
    /// A code block starts; `offset` is the byte offset of stdout at that moment.
    case block
    /// A `check(...)` finished; `check` holds its outcome.
    case check
    /// `display(...)` wrote a figure file; `figure` names it.
    case figure
    /// An inline expression from the prose was evaluated; `text` is its rendering.
    case inline
    /// The program reached its end.
    case end
    /// The program saved its top-level values after block `index`; `text` is the path of the
    /// checkpoint's manifest. Without an index, `text` says why no more checkpoints are saved.
    case checkpoint
  }

  public var kind: Kind
  /// Block or inline-expression index in the chapter's plan.
  public var index: Int?
  public var offset: Int64?
  public var text: String?
  public var check: CheckRecord?
  public var figure: FigureRecord?

  public init(
    kind: Kind, index: Int? = nil, offset: Int64? = nil, text: String? = nil,
    check: CheckRecord? = nil, figure: FigureRecord? = nil
  ) {
    self.kind = kind
    self.index = index
    self.offset = offset
    self.text = text
    self.check = check
    self.figure = figure
  }
}

/// The outcome of one `check(...)` call, located at its Markdown line.
public struct CheckRecord: Codable, Equatable, Sendable {
  public var label: String
  /// What was asserted, e.g. "= 3.125 ± 1e-12", "≤ 246", "non-decreasing".
  public var expectation: String
  /// The observed value as text.
  public var value: String
  public var passed: Bool
  /// Why it failed, with the first offending element for sequences.
  public var detail: String?
  public var file: String
  public var line: Int
  /// The exercise this check grades (`grade(...)`), if any.
  public var exercise: String?
  /// For a failed grade: the digest of the value it got, for the instructor's `answer:`.
  public var valueDigest: String?

  public init(
    label: String, expectation: String, value: String, passed: Bool, detail: String?,
    file: String, line: Int, exercise: String? = nil, valueDigest: String? = nil
  ) {
    self.exercise = exercise
    self.valueDigest = valueDigest
    self.label = label
    self.expectation = expectation
    self.value = value
    self.passed = passed
    self.detail = detail
    self.file = file
    self.line = line
  }
}

/// A figure file written next to the event log.
public struct FigureRecord: Codable, Equatable, Sendable {
  /// `table` and `explorable` files are JSON (`TablePayload`, `ExplorablePayload`).
  public enum Format: String, Codable, Sendable { case svg, png, table, explorable }
  public var file: String
  public var format: Format
  public var altText: String
  public var caption: String?
  /// `fig-name`, so prose can refer to the figure as `@fig-name`.
  public var label: String?
  /// The Markdown line of the `display` call, where a bad or repeated label is reported.
  public var line: Int?

  public init(
    file: String, format: Format, altText: String, caption: String?, label: String? = nil, line: Int? = nil
  ) {
    self.file = file
    self.format = format
    self.altText = altText
    self.caption = caption
    self.label = label
    self.line = line
  }
}

/// Environment variables through which the engine talks to a chapter program.
public enum RuntimeEnvironment {
  /// Path of the JSON-lines event file the program appends to.
  public static let eventsPath = "NOTEBOOK_EVENTS"
  /// Directory where `display` writes figure files.
  public static let figuresDirectory = "NOTEBOOK_FIGURES"
  /// The chapter's seed from its front matter.
  public static let seed = "NOTEBOOK_SEED"
  /// File where the program keeps the call sites of the last `throw` (see `ThrowSite`).
  public static let throwSitePath = "NOTEBOOK_THROW_SITE"
  /// Folder where the program saves checkpoints (`after-<block>.state` and `.json`); none without it.
  public static let checkpointDirectory = "NOTEBOOK_CHECKPOINTS"
  /// Folder of the checkpoints' large arrays, shared by all chapters.
  public static let checkpointBlobDirectory = "NOTEBOOK_CHECKPOINT_BLOBS"
  /// Seconds of work since the last checkpoint that make the next one worth saving (default 1).
  public static let checkpointSeconds = "NOTEBOOK_CHECKPOINT_SECONDS"
  /// The state file a resumed program reads its top-level values from.
  public static let resumeState = "NOTEBOOK_RESUME"
  /// Exit status of a resumed program that could not read its checkpoint back.
  public static let resumeFailureStatus: Int32 = 86
}
