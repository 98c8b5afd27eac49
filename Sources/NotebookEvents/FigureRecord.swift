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
