/// Hides TeX from the Markdown parser.
///
/// CommonMark knows no math: `$x_i^* + y_j^*$` would become emphasis and `\\` would lose a
/// backslash. Before cmark sees the text, each math span is swapped for a placeholder of
/// private-use characters; the converter swaps it back into an `Inline.math` node.
///
/// Rules follow Pandoc's `tex_math_dollars`: an opening `$` is not followed by white space, a
/// closing `$` is not preceded by white space nor followed by a digit, `\$` is a literal dollar,
/// `$$...$$` is display math and may span lines (not a blank one). Nothing inside code spans,
/// fenced code or HTML blocks is touched. The text is read as Unicode scalars, as cmark reads
/// bytes, so a combining mark never hides a `$` or a backtick.
struct MathProtector {
  struct Span: Equatable {
    var tex: String
    var display: Bool
    /// Line in the original text where the span opens.
    var line: Int
    /// `eq-name` from a `{#eq-name}` right after a display.
    var label: String? = nil
    /// A private-use character of the source itself that a placeholder stands for (so it is
    /// never taken for a placeholder), in `tex`.
    var isEscape = false
  }

  /// The text with placeholders.
  private(set) var text = ""
  private(set) var spans: [Span] = []
  /// `originalLine[l]` is the original line of line `l` of `text` (index 0 unused).
  private(set) var originalLine: [Int] = [0, 1]

  static let open: Unicode.Scalar = "\u{E000}"
  static let close: Unicode.Scalar = "\u{E001}"

  static func placeholder(_ index: Int) -> String { "\(open)\(index)\(close)" }

  /// A run of text between placeholders, or the span a placeholder stands for.
  enum Piece {
    case text(String)
    case span(Span)
  }

  /// Walks `text` (from the parser's output), handing over plain runs and placeholders' spans
  /// in order.
  func scan(_ text: String, _ visit: (Piece) -> Void) {
    let scalars = text.unicodeScalars
    guard scalars.contains(Self.open) else {
      if !text.isEmpty { visit(.text(text)) }
      return
    }
    var run = ""
    var i = scalars.startIndex
    while i < scalars.endIndex {
      if scalars[i] == Self.open, let (span, next) = placeholder(at: i, in: scalars) {
        if span.isEscape {
          run += span.tex
        } else {
          if !run.isEmpty { visit(.text(run)) }
          run = ""
          visit(.span(span))
        }
        i = next
      } else {
        run.unicodeScalars.append(scalars[i])
        i = scalars.index(after: i)
      }
    }
    if !run.isEmpty { visit(.text(run)) }
  }

  /// The span of the placeholder opening at `start`, and the index past it.
  private func placeholder(at start: String.UnicodeScalarView.Index, in scalars: String.UnicodeScalarView)
    -> (Span, String.UnicodeScalarView.Index)?
  {
    var i = scalars.index(after: start)
    var index = 0
    var digits = 0
    while i < scalars.endIndex, ("0"..."9").contains(scalars[i]), digits < 18 {
      index = index * 10 + Int(scalars[i].value - 48)
      digits += 1
      i = scalars.index(after: i)
    }
    guard digits > 0, i < scalars.endIndex, scalars[i] == Self.close, index < spans.count else { return nil }
    return (spans[index], scalars.index(after: i))
  }

  /// Protects the math of `source`, leaving alone the lines `verbatimLines` marks (indexed by
  /// line number from 1).
  init(_ source: String, verbatimLines: [Bool] = []) {
    var scanner = Scanner(source, verbatimLines: verbatimLines)
    let chars = scanner.chars
    // Appending to a String is amortized constant time; `append(contentsOf:)` on a scalar view
    // copies the whole text each time.
    var output = ""
    var i = 0
    var line = 1

    func newline() {
      line += 1
      originalLine.append(line)
    }
    func append(_ c: Unicode.Scalar) {
      guard c == Self.open || c == Self.close else { return output.unicodeScalars.append(c) }
      output += Self.placeholder(spans.count)
      spans.append(Span(tex: String(c), display: false, line: line, isEscape: true))
    }

    while i < chars.count {
      let atLineStart = i == 0 || chars[i - 1] == "\n"
      if atLineStart, scanner.isVerbatim(line) {
        while i < chars.count, chars[i] != "\n" {
          append(chars[i])
          i += 1
        }
        if i < chars.count {
          output += "\n"
          i += 1
          newline()
        }
        continue
      }
      let c = chars[i]
      switch c {
      case "\n":
        output += "\n"
        i += 1
        newline()
      case "\\":
        output += "\\"
        if i + 1 < chars.count, chars[i + 1] != "\n" {
          append(chars[i + 1])
          i += 2
        } else {
          i += 1
        }
      case "`":
        var n = 0
        while i + n < chars.count, chars[i + n] == "`" { n += 1 }
        if let end = scanner.closingBackticks(length: n, from: i + n, line: line) {
          for k in i..<end {
            append(chars[k])
            if chars[k] == "\n" { newline() }
          }
          i = end
        } else {
          output += String(repeating: "`", count: n)
          i += n
        }
      case "$":
        if let (span, end) = scanner.mathSpan(at: i, line: line) {
          output += Self.placeholder(spans.count)
          spans.append(span)
          for k in i..<end where chars[k] == "\n" { line += 1 }
          i = end
        } else {
          output += "$"
          i += 1
        }
      default:
        append(c)
        i += 1
      }
    }
    text = output
  }
}

/// The searches of math protection over the source's scalars, each stopping where a paragraph
/// must end: at a blank line or a line Markdown takes verbatim.
private struct Scanner {
  let chars: [Unicode.Scalar]
  /// `ends[l]`: line `l` is blank or verbatim, so no code span or math crosses into it.
  private let ends: [Bool]
  private let verbatim: [Bool]
  /// For a backtick run length, an offset before which no closing run of that length remains
  /// in the paragraph: a failed search is never repeated, as cmark does.
  private var noClosingRunBefore: [Int: Int] = [:]

  init(_ source: String, verbatimLines: [Bool]) {
    chars = Array(source.unicodeScalars)
    var ends = [true]
    var blank = true
    for c in chars {
      if c == "\n" {
        ends.append(blank || (ends.count < verbatimLines.count && verbatimLines[ends.count]))
        blank = true
      } else if c != " " && c != "\t" {
        blank = false
      }
    }
    ends.append(blank || (ends.count < verbatimLines.count && verbatimLines[ends.count]))
    self.ends = ends
    verbatim = verbatimLines
  }

  func isVerbatim(_ line: Int) -> Bool { line < verbatim.count && verbatim[line] }

  /// Whether the line after `line` ends the paragraph.
  private func endsAfter(_ line: Int) -> Bool { line + 1 >= ends.count || ends[line + 1] }

  /// End index (exclusive) of a run of exactly `length` backticks closing a code span.
  mutating func closingBackticks(length: Int, from start: Int, line: Int) -> Int? {
    if let limit = noClosingRunBefore[length], start < limit { return nil }
    var i = start
    var line = line
    while i < chars.count {
      if chars[i] == "\n" {
        if endsAfter(line) { break }
        line += 1
        i += 1
      } else if chars[i] == "`" {
        var n = 0
        while i + n < chars.count, chars[i + n] == "`" { n += 1 }
        if n == length { return i + n }
        i += n
      } else {
        i += 1
      }
    }
    noClosingRunBefore[length] = i
    return nil
  }

  /// A `{#eq-name}` label after a display's closing `$$` (spaces allowed before it), and the
  /// index past it; `(nil, start)` when there is none.
  private func equationLabel(after start: Int) -> (String?, Int) {
    var i = start
    while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
    let opening: [Unicode.Scalar] = ["{", "#", "e", "q", "-"]
    guard i + opening.count < chars.count, Array(chars[i..<(i + opening.count)]) == opening else {
      return (nil, start)
    }
    var close = i + opening.count
    while close < chars.count, Self.isLabelCharacter(chars[close]) { close += 1 }
    guard close < chars.count, chars[close] == "}" else { return (nil, start) }
    return (string((i + 2)..<close), close + 1)
  }

  private static func isLabelCharacter(_ c: Unicode.Scalar) -> Bool {
    c.properties.isAlphabetic || c.properties.numericType != nil || c == "-" || c == "_"
  }

  /// A math span opening at `start` on `line`, and the index just past its closing delimiter.
  func mathSpan(at start: Int, line: Int) -> (MathProtector.Span, Int)? {
    let display = start + 1 < chars.count && chars[start + 1] == "$"
    let contentStart = start + (display ? 2 : 1)
    guard contentStart < chars.count else { return nil }
    if !display, chars[contentStart].properties.isWhitespace { return nil }
    var i = contentStart
    var current = line
    while i < chars.count {
      let c = chars[i]
      if c == "\\" {
        if i + 1 < chars.count, chars[i + 1] == "\n" {
          i += 1
        } else {
          i += 2
        }
        continue
      }
      if c == "\n" {
        if endsAfter(current) { return nil }
        current += 1
      }
      if c == "`", !display { return nil }  // code spans take precedence
      if c == "$" {
        if display {
          if i + 1 < chars.count, chars[i + 1] == "$" {
            guard chars[contentStart..<i].contains(where: { !$0.properties.isWhitespace }) else { return nil }
            let tex = string(contentStart..<i)
            let (label, end) = equationLabel(after: i + 2)
            return (MathProtector.Span(tex: tex, display: true, line: line, label: label), end)
          }
        } else {
          let before = chars[i - 1]
          let after: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
          if !before.properties.isWhitespace, after?.properties.numericType == nil {
            return (MathProtector.Span(tex: string(contentStart..<i), display: false, line: line), i + 1)
          }
          return nil
        }
      }
      i += 1
    }
    return nil
  }

  private func string(_ range: Range<Int>) -> String {
    var text = ""
    for c in chars[range] { text.unicodeScalars.append(c) }
    return text
  }
}
