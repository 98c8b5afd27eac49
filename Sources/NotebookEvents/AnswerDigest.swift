import Foundation

/// How `grade` hides an exercise's answer: digests of the value rounded on two grids.
///
/// The first grid rounds to `digits` significant digits (`%.{digits-1}e`); the second is the
/// same grid shifted by half a unit, each value standing for the centre of its cell. A correct
/// value computed another way can differ from the instructor's in the last bits, and when the
/// answer lies near a rounding boundary of one grid the two land on different sides; it then
/// lies near the middle of a cell of the other grid, where both agree. Any value within a
/// quarter unit of the answer matches on at least one grid (unless a power of ten lies between
/// them, where the unit changes); the offset grid accepts up to almost a unit on one side.
///
/// The exercise's ID is hashed with the value, so a table of digests made for one exercise is
/// no use for another. This is a self-check, not a secret: a rounded number can be found by
/// trying candidates.
public enum AnswerDigest {
  /// The `answer:` string for an exercise: the two grids' digests, separated by a space.
  public static func answer(exercise: String, value: Double, digits: Int) -> String {
    nearest(exercise: exercise, value: value, digits: digits) + " "
      + offset(exercise: exercise, value: value, digits: digits)
  }

  /// Whether `value` matches a hidden `answer` on either grid. An answer of one digest (made
  /// before the offset grid existed) is matched on the first grid only.
  public static func matches(exercise: String, value: Double, digits: Int, answer: String) -> Bool {
    guard value.isFinite else { return false }
    let digests = answer.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
    guard let first = digests.first else { return false }
    if nearest(exercise: exercise, value: value, digits: digits) == first { return true }
    return digests.count > 1 && offset(exercise: exercise, value: value, digits: digits) == digests[1]
  }

  /// SHA-256 of `ID|value` with the value rounded to `digits` significant digits.
  public static func nearest(exercise: String, value: Double, digits: Int) -> String {
    hash("\(exercise)|\(roundedAnswer(value, digits: digits))")
  }

  /// SHA-256 of `ID|B|centre`, the centre of the value's cell on the half-unit-shifted grid.
  public static func offset(exercise: String, value: Double, digits: Int) -> String {
    hash("\(exercise)|B|\(offsetGridCentre(value, digits: digits))")
  }

  /// The centre of `value`'s cell [k u, (k + 1) u) on the grid whose unit u is the last of
  /// `digits` significant digits, written with one digit more.
  public static func offsetGridCentre(_ value: Double, digits: Int) -> String {
    let digits = max(1, digits)
    let exponent = value == 0 ? 0 : Int((log10(abs(value))).rounded(.down))
    let unit = pow(10, Double(exponent - digits + 1))
    let centre = ((value / unit).rounded(.down) + 0.5) * unit
    return String(format: "%.\(digits)e", centre)
  }

  private static func hash(_ text: String) -> String {
    let hasher = SHA256Digest()
    hasher.update(text)
    return hasher.hexDigest()
  }
}

/// The digest that stands for an exercise's answer on the first grid (see `AnswerDigest`).
public func answerDigest(exercise: String, value: Double, digits: Int) -> String {
  AnswerDigest.nearest(exercise: exercise, value: value, digits: digits)
}

/// The answer as it is hashed: `digits` significant digits in scientific notation.
public func roundedAnswer(_ value: Double, digits: Int) -> String {
  let text = String(format: "%.\(max(1, digits) - 1)e", value)
  return text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
}
