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
