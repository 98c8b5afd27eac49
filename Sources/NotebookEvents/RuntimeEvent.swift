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
