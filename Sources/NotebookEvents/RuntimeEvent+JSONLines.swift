import Foundation

/// The wire format of `RuntimeEvent`: one JSON object per line, with a `kind` naming the case
/// and one field per associated value, named by its label (`check` and `figure` for the
/// unlabelled records), e.g. `{"index":2,"kind":"blockStarted","outputOffset":1045}`.
///
/// Written by hand rather than synthesized, so that the format is spelled out here and renaming
/// a case or a label in Swift cannot change it silently.
extension RuntimeEvent: Codable {
  /// The `kind` of each case on the wire.
  private enum Kind: String, Codable {
    case blockStarted = "blockStarted"
    case checkFinished = "checkFinished"
    case figureWritten = "figureWritten"
    case inlineValue = "inlineValue"
    case programFinished = "programFinished"
    case checkpointSaved = "checkpointSaved"
    case checkpointsStopped = "checkpointsStopped"
  }

  private enum CodingKeys: String, CodingKey {
    case kind, index, outputOffset, check, figure, text, afterBlock, manifestPath, reason
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    switch try container.decode(Kind.self, forKey: .kind) {
    case .blockStarted:
      self = .blockStarted(
        index: try container.decode(Int.self, forKey: .index),
        outputOffset: try container.decode(Int64.self, forKey: .outputOffset))
    case .checkFinished:
      self = .checkFinished(try container.decode(CheckRecord.self, forKey: .check))
    case .figureWritten:
      self = .figureWritten(try container.decode(FigureRecord.self, forKey: .figure))
    case .inlineValue:
      self = .inlineValue(
        index: try container.decode(Int.self, forKey: .index), text: try container.decode(String.self, forKey: .text))
    case .programFinished:
      self = .programFinished
    case .checkpointSaved:
      self = .checkpointSaved(
        afterBlock: try container.decode(Int.self, forKey: .afterBlock),
        manifestPath: try container.decode(String.self, forKey: .manifestPath))
    case .checkpointsStopped:
      self = .checkpointsStopped(reason: try container.decode(String.self, forKey: .reason))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .blockStarted(let index, let outputOffset):
      try container.encode(Kind.blockStarted, forKey: .kind)
      try container.encode(index, forKey: .index)
      try container.encode(outputOffset, forKey: .outputOffset)
    case .checkFinished(let record):
      try container.encode(Kind.checkFinished, forKey: .kind)
      try container.encode(record, forKey: .check)
    case .figureWritten(let record):
      try container.encode(Kind.figureWritten, forKey: .kind)
      try container.encode(record, forKey: .figure)
    case .inlineValue(let index, let text):
      try container.encode(Kind.inlineValue, forKey: .kind)
      try container.encode(index, forKey: .index)
      try container.encode(text, forKey: .text)
    case .programFinished:
      try container.encode(Kind.programFinished, forKey: .kind)
    case .checkpointSaved(let afterBlock, let manifestPath):
      try container.encode(Kind.checkpointSaved, forKey: .kind)
      try container.encode(afterBlock, forKey: .afterBlock)
      try container.encode(manifestPath, forKey: .manifestPath)
    case .checkpointsStopped(let reason):
      try container.encode(Kind.checkpointsStopped, forKey: .kind)
      try container.encode(reason, forKey: .reason)
    }
  }

  /// The record as one line of the event log: JSON with sorted keys (strings escape their line
  /// breaks) and a newline, to be written with a single `write(2)`.
  public func jsonLine() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var line = try encoder.encode(self)
    line.append(0x0A)
    return line
  }

  /// The records of an event log, in order. A line that does not decode is skipped: the last
  /// one, when the program was killed in the middle of writing it.
  public static func records(inLog log: Data) -> [RuntimeEvent] { read(log: log).records }

  /// The records of an event log, and how many whole lines (ended by a line break) did not
  /// decode: a last line cut off by a crash is expected, any other means a record was lost (a
  /// check or a figure that would go missing) and is the engine's to report.
  public static func read(log: Data) -> (records: [RuntimeEvent], unreadable: Int) {
    let decoder = JSONDecoder()
    var records: [RuntimeEvent] = []
    var unreadable = 0
    let lines = log.split(separator: 0x0A, omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() where !line.isEmpty {
      if let record = try? decoder.decode(RuntimeEvent.self, from: Data(line)) {
        records.append(record)
      } else if index < lines.count - 1 {
        unreadable += 1
      }
    }
    return (records, unreadable)
  }
}
