/// An error or warning about a chapter, printed as `file:line:col: error: message`.
public struct Diagnostic: Hashable, Codable, Sendable, CustomStringConvertible {
  public enum Severity: String, Codable, Sendable { case error, warning, note }

  public var location: SourceLocation
  public var severity: Severity
  public var message: String
  /// Further lines printed under the message (compiler notes, both texts of an output mismatch).
  public var details: [String]

  public init(
    _ severity: Severity = .error, at location: SourceLocation, _ message: String,
    details: [String] = []
  ) {
    self.location = location
    self.severity = severity
    self.message = message
    self.details = details
  }

  /// The format editors and CI annotators jump to.
  public var description: String {
    let head = "\(location): \(severity.rawValue): \(message)"
    return ([head] + details).joined(separator: "\n")
  }
}

/// A failure that stops a chapter's pipeline, carrying its diagnostics.
public struct ChapterFailure: Error, CustomStringConvertible {
  public var diagnostics: [Diagnostic]
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
  public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
