import Foundation

/// Compares what a block printed with its ```` ```output ```` block, number by number.
///
/// Each line is cut into numbers and the text between them. Text must match exactly after
/// trailing white space is trimmed (trailing blank lines are ignored). Numbers match when
/// |a − b| ≤ max(tolerance · max(|a|, |b|), absoluteTolerance). NaN never matches, not even NaN.
public enum OutputComparison {
  public struct Mismatch: Equatable, Sendable {
    /// 0-based line in the expected text where the first difference is.
    public var line: Int
    public var message: String
  }

  enum Token: Equatable {
    case text(String)
    case number(Double, String)
  }

  public static func compare(
    expected: String, actual: String, tolerance: Double = ExpectedOutput.defaultTolerance,
    absoluteTolerance: Double = 0
  ) -> Mismatch? {
    let want = normalizedLines(expected)
    let got = normalizedLines(actual)
    for index in 0..<max(want.count, got.count) {
      guard index < want.count else {
        return Mismatch(line: want.count, message: "the block printed more lines than expected: \"\(got[index])\"")
      }
      guard index < got.count else {
        return Mismatch(line: index, message: "the block printed fewer lines than expected; missing \"\(want[index])\"")
      }
      if let message = compareLine(
        want[index], got[index], tolerance: tolerance, absoluteTolerance: absoluteTolerance)
      {
        return Mismatch(line: index, message: message)
      }
    }
    return nil
  }

  static func normalizedLines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      String(line.reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  private static func compareLine(
    _ expected: String, _ actual: String, tolerance: Double, absoluteTolerance: Double
  ) -> String? {
    let want = tokens(expected)
    let got = tokens(actual)
    for (a, b) in zip(want, got) {
      switch (a, b) {
      case (.number(let x, let xs), .number(let y, let ys)):
        if x.isNaN || y.isNaN {
          return "first differing number: expected \(xs), got \(ys) (NaN never matches)"
        }
        if x == y { continue }
        let difference = abs(x - y)
        let allowed = max(tolerance * max(abs(x), abs(y)), absoluteTolerance)
        if !(difference <= allowed) {
          return "first differing number: expected \(xs), got \(ys) "
            + "(difference \(short(difference)) exceeds \(short(allowed)); relative tolerance \(short(tolerance)))"
        }
      case (.text(let x), .text(let y)) where x == y:
        continue
      case (.text(let x), .text(let y)) where x.filter { !$0.isWhitespace } == y.filter { !$0.isWhitespace }:
        return "expected \"\(visibleWhitespace(expected))\", got \"\(visibleWhitespace(actual))\" "
          + "(only white space differs: → is a tab, · a space)"
      default:
        return "expected \"\(expected)\", got \"\(actual)\""
      }
    }
    if want.count != got.count { return "expected \"\(expected)\", got \"\(actual)\"" }
    return nil
  }

  /// The line with its white space drawn: `→` for a tab, `·` for a space, `\u{A0}` for others.
  static func visibleWhitespace(_ line: String) -> String {
    line.unicodeScalars.map { scalar in
      switch scalar {
      case "\t": return "→"
      case " ": return "·"
      case _ where scalar.properties.isWhitespace:
        return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default: return String(scalar)
      }
    }.joined()
  }

  private static let numberPattern = try! NSRegularExpression(
    pattern:
      #"(?<![A-Za-z0-9_.])(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|NaN|inf|Inf|infinity))(?![A-Za-z0-9_])"#
  )

  static func tokens(_ line: String) -> [Token] {
    var result: [Token] = []
    var cursor = line.startIndex
    let range = NSRange(line.startIndex..., in: line)
    for match in numberPattern.matches(in: line, range: range) {
      guard let r = Range(match.range, in: line) else { continue }
      if cursor < r.lowerBound { result.append(.text(String(line[cursor..<r.lowerBound]))) }
      let text = String(line[r])
      result.append(.number(value(text), text))
      cursor = r.upperBound
    }
    if cursor < line.endIndex { result.append(.text(String(line[cursor...]))) }
    return result
  }

  private static func value(_ text: String) -> Double {
    let lower = text.lowercased()
    if lower.hasSuffix("nan") { return .nan }
    if lower.hasSuffix("inf") || lower.hasSuffix("infinity") { return lower.hasPrefix("-") ? -.infinity : .infinity }
    return Double(text) ?? .nan
  }

  private static func short(_ x: Double) -> String { String(format: "%.3g", x) }
}
