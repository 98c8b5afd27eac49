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
    // Each line's numbers are found once: a line of thousands of them would take a scan each.
    var numbersOnLine: [Int: [String: [Int]]] = [:]
    func report(_ token: String, _ line: Int) {
      // The column of this token's next unreported occurrence in the line's prose.
      let text = line >= 1 && line <= lines.count ? String(lines[line - 1]) : ""
      let key = "\(line) \(token)"
      let columns: [Int]
      if token.utf8.allSatisfy({ $0 < 0x80 }) {
        if numbersOnLine[line] == nil { numbersOnLine[line] = proseNumberColumns(in: text) }
        columns = numbersOnLine[line]?[token] ?? []
      } else {
        columns = proseColumns(of: token, in: text)
      }
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
    let number = NumberBounds(bytes)
    return proseOffsets(bytes).filter {
      bytes[$0...].starts(with: pattern) && !number.continuesBefore($0 - 1)
        && !number.continuesAfter($0 + pattern.count)
    }.map { $0 + 1 }
  }

  /// Every whole number of ASCII digits and decimal points in `line`'s prose (as `proseColumns`
  /// finds them), with its byte columns, in one pass.
  static func proseNumberColumns(in line: String) -> [String: [Int]] {
    let bytes = Array(line.utf8)
    let number = NumberBounds(bytes)
    var columns: [String: [Int]] = [:]
    for start in proseOffsets(bytes) where number.isDigit(start) && !number.continuesBefore(start - 1) {
      var end = start + 1
      while number.continuesAfter(end) { end += 1 }
      columns[String(decoding: bytes[start..<end], as: UTF8.self), default: []].append(start + 1)
    }
    return columns
  }

  /// Where a number in a line's bytes could not stop or start: a digit next to it, or a decimal
  /// point that continues it.
  private struct NumberBounds {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func isDigit(_ i: Int) -> Bool { i >= 0 && i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 }
    func continuesBefore(_ i: Int) -> Bool {
      isDigit(i) || (i >= 0 && i < bytes.count && bytes[i] == UInt8(ascii: ".") && isDigit(i - 1))
    }
    func continuesAfter(_ i: Int) -> Bool {
      isDigit(i) || (i >= 0 && i < bytes.count && bytes[i] == UInt8(ascii: ".") && isDigit(i + 1))
    }
  }

  /// The offsets of a line's bytes that are prose: outside `$…$` math and `` `…` `` code spans,
  /// and not escaped by a backslash.
  private static func proseOffsets(_ bytes: [UInt8]) -> [Int] {
    var offsets: [Int] = []
    var index = 0
    var inMath = false
    var codeFence = 0
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
      if !inMath && codeFence == 0 { offsets.append(index) }
      index += 1
    }
    return offsets
  }

  /// The matches of `[\w.]?\d+(?:\.\d+)+\w?` in `text`, found in one pass: Swift's regular
  /// expression engine backtracks over a long run of digits from every position in it (3,000
  /// digits took a second). `\d` is `Character.isNumber` and `\w` a letter, number or `_`.
  static func numberTokens(in text: String) -> [String] {
    let characters = Array(text)
    let count = characters.count
    func isDigit(_ i: Int) -> Bool { i < count && characters[i].isNumber }
    func isWord(_ i: Int) -> Bool {
      i < count && (characters[i].isLetter || characters[i].isNumber || characters[i] == "_")
    }
    func isDot(_ i: Int) -> Bool { i < count && characters[i] == "." }
    // digitsEnd[i]: the end of the run of digits starting at i.
    var digitsEnd = Array(0...count)
    for i in stride(from: count - 1, through: 0, by: -1) where characters[i].isNumber {
      digitsEnd[i] = digitsEnd[i + 1]
    }
    // The end of `\d+(?:\.\d+)+\w?` matched at `start`, greedily (a shorter run of digits is
    // followed by a digit, never by the point the pattern needs next).
    func numberEnd(from start: Int) -> Int? {
      guard isDigit(start), isDot(digitsEnd[start]), isDigit(digitsEnd[start] + 1) else { return nil }
      var end = digitsEnd[start]
      while isDot(end), isDigit(end + 1) { end = digitsEnd[end + 1] }
      return isWord(end) ? end + 1 : end
    }
    var tokens: [String] = []
    var start = 0
    while start < count {
      // `[\w.]?` takes a character first, and gives it back only if the rest then fails.
      if isWord(start) || isDot(start), let end = numberEnd(from: start + 1) {
        tokens.append(String(characters[start..<end]))
        start = end
      } else if let end = numberEnd(from: start) {
        tokens.append(String(characters[start..<end]))
        start = end
      } else {
        start += 1
      }
    }
    return tokens
  }

  /// The suspicious numbers in one run of text.
  static func suspiciousNumbers(in text: String) -> [String] {
    numberTokens(in: text).filter { token in
      // Part of a word or a longer dotted run (`x2.50`, `1.5x`, `.125`): not a number in prose.
      guard let first = token.first, let last = token.last, first.isNumber, last.isNumber else { return false }
      let parts = token.split(separator: ".")
      guard parts.count == 2 else { return false }  // a version or section number
      return parts.joined().drop { $0 == "0" }.count >= 3
    }
  }
}
