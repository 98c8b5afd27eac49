/// Finds numbers typed into prose that look computed, so that every such number in a chapter is
/// an inline value (`` `{swift} expr` ``) or deliberately marked as a literal.
///
/// "Looks computed" is a decimal with three or more significant digits (`2.71828`, `243.9`,
/// `0.0125`), in text outside math, code and inline values; integers, two-digit decimals
/// (`0.5`, `1e-4`) and dotted versions (`0.3.21`) are left alone. A deliberate literal is
/// written `` `{literal} 1.618` ``: it reads as plain text and is not reported.
public enum ProseNumbers {
  /// One warning per suspicious number, at its Markdown line and column.
  public static func warnings(_ chapter: Chapter) -> [Diagnostic] {
    let lines = chapter.source.split(separator: "\n", omittingEmptySubsequences: false)
    var found: [Diagnostic] = []
    var reported: [String: Int] = [:]
    func report(_ token: String, _ line: Int) {
      // The column of this token's next unreported occurrence in the line's prose.
      let text = line >= 1 && line <= lines.count ? String(lines[line - 1]) : ""
      let key = "\(line) \(token)"
      let columns = proseColumns(of: token, in: text)
      let index = reported[key, default: 0]
      reported[key] = index + 1
      let column = index < columns.count ? columns[index] : 1
      found.append(
        Diagnostic(
          .warning, at: SourceLocation(file: chapter.path, line: line, column: column),
          "the number \(token) is typed into the prose: make it an inline value (`{swift} expression`) "
            + "or, if it is not computed, mark it as `{literal} \(token)`"))
    }
    chapter.walkInlines { inline, line in
      if case .text(let text) = inline { suspiciousNumbers(in: text).forEach { report($0, line) } }
    }
    return found
  }

  /// The byte columns where `token` stands in `line` as a whole number, outside `$…$` math and
  /// `` `…` `` code spans.
  static func proseColumns(of token: String, in line: String) -> [Int] {
    let bytes = Array(line.utf8)
    let pattern = Array(token.utf8)
    var columns: [Int] = []
    var index = 0
    var inMath = false
    var codeFence = 0
    func isDigit(_ i: Int) -> Bool { i >= 0 && i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 }
    // Part of a longer number: a digit next to it, or a decimal point that continues it.
    func continuesBefore(_ i: Int) -> Bool { isDigit(i) || (i >= 0 && bytes[i] == UInt8(ascii: ".") && isDigit(i - 1)) }
    func continuesAfter(_ i: Int) -> Bool {
      isDigit(i) || (i < bytes.count && bytes[i] == UInt8(ascii: ".") && isDigit(i + 1))
    }
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if byte == UInt8(ascii: "`") {
        var run = 0
        while index + run < bytes.count && bytes[index + run] == byte { run += 1 }
        if codeFence == 0 && !inMath {
          codeFence = run
        } else if run == codeFence {
          codeFence = 0
        }
        index += run
        continue
      }
      if byte == UInt8(ascii: "$") && codeFence == 0 {
        inMath.toggle()
        index += 1
        continue
      }
      if !inMath && codeFence == 0 && bytes[index...].starts(with: pattern) && !continuesBefore(index - 1)
        && !continuesAfter(index + pattern.count)
      {
        columns.append(index + 1)
        index += pattern.count
        continue
      }
      index += 1
    }
    return columns
  }

  /// The suspicious numbers in one run of text.
  static func suspiciousNumbers(in text: String) -> [String] {
    text.matches(of: #/[\w.]?\d+(?:\.\d+)+\w?/#).map { String($0.output) }.filter { token in
      // Part of a word or a longer dotted run (`x2.50`, `1.5x`, `.125`): not a number in prose.
      guard let first = token.first, let last = token.last, first.isNumber, last.isNumber else { return false }
      let parts = token.split(separator: ".")
      guard parts.count == 2 else { return false }  // a version or section number
      return parts.joined().drop { $0 == "0" }.count >= 3
    }
  }
}
