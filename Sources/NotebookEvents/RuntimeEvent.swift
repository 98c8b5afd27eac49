/// One record a chapter program writes on its side channel (a JSON-lines file), never on stdout.
///
/// Each case carries exactly what the engine needs of that moment of the run. The engine reads
/// the records back after the program ends, or after it traps: each is written with a single
/// unbuffered `write(2)` (see `jsonLine()`), so every record before a crash survives it.
public enum RuntimeEvent: Equatable, Sendable {
  /// Code block `index` (its position among the chapter's blocks) starts; `outputOffset` is the
  /// byte offset of stdout at that moment, where the block's output begins.
  case blockStarted(index: Int, outputOffset: Int64)
  /// A `check(...)` or `grade(...)` finished with this outcome.
  case checkFinished(CheckRecord)
  /// `display(...)` wrote this figure file beside the event log.
  case figureWritten(FigureRecord)
  /// Inline prose expression `index` was evaluated; `text` is its rendering.
  case inlineValue(index: Int, text: String)
  /// The program reached its end.
  case programFinished
  /// The program saved its top-level values after block `afterBlock`; `manifestPath` is the
  /// checkpoint's manifest (`after-<block>.json`, beside its state file).
  case checkpointSaved(afterBlock: Int, manifestPath: String)
  /// The program saves no more checkpoints in this run, for `reason` (which names the value at
  /// fault in backquotes when one is: "`x` is a T, which cannot be saved (it is not Codable)").
  case checkpointsStopped(reason: String)
}
