/// Hides TeX from the Markdown parser.
///
/// CommonMark knows no math: `$x_i^* + y_j^*$` would become emphasis and `\\` would lose a
/// backslash. Before cmark sees the text, each math span is swapped for a placeholder of
/// private-use characters; the converter swaps it back into an `Inline.math` node.
///
/// Rules follow Pandoc's `tex_math_dollars`: an opening `$` is not followed by white space, a
/// closing `$` is not preceded by white space nor followed by a digit, `\$` is a literal dollar,
/// `$$...$$` is display math and may span lines. Nothing inside code spans or fences is touched.
struct MathProtector {
  struct Span: Equatable {
    var tex: String
    var display: Bool
    /// Line in the original text where the span opens.
    var line: Int
    /// `eq-name` from a `{#eq-name}` right after a display.
    var label: String? = nil
  }

  /// The text with placeholders.
  private(set) var text = ""
  private(set) var spans: [Span] = []
  /// `originalLine[l]` is the original line of line `l` of `text` (index 0 unused).
  private(set) var originalLine: [Int] = [0, 1]
  /// Line of a fence still open at the end of the text.
  private(set) var unclosedFenceLine: Int?

  static let open: Character = "\u{E000}"
  static let close: Character = "\u{E001}"

  static func placeholder(_ index: Int) -> String { "\(open)\(index)\(close)" }

  /// A run of text between placeholders, or the span a placeholder stands for.
  enum Piece {
    case text(String)
    case span(Span)
  }

  /// Walks `text` (from the parser's output), handing over plain runs and placeholders' spans
  /// in order.
  func scan(_ text: String, _ visit: (Piece) -> Void) {
    var rest = Substring(text)
    while let open = rest.firstIndex(of: Self.open),
      let close = rest[open...].firstIndex(of: Self.close),
      let index = Int(rest[rest.index(after: open)..<close]), index < spans.count
    {
      if open > rest.startIndex { visit(.text(String(rest[..<open]))) }
      visit(.span(spans[index]))
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { visit(.text(String(rest))) }
  }

  init(_ source: String) {
    let chars = Array(source)
    var i = 0
    var line = 1
    var fence: (marker: Character, length: Int, line: Int)?

    func newline() {
      line += 1
      originalLine.append(line)
    }

    while i < chars.count {
      let atLineStart = i == 0 || chars[i - 1] == "\n"
      var verbatim = fence != nil
      if atLineStart, let f = Self.fence(at: i, in: chars) {
        if let open = fence {
          if f.marker == open.marker, f.length >= open.length, f.infoIsBlank { fence = nil }
        } else {
          fence = (f.marker, f.length, line)
        }
        verbatim = true
      }
      if verbatim {
        // Copy the whole line verbatim.
        while i < chars.count, chars[i] != "\n" {
          text.append(chars[i])
          i += 1
        }
        if i < chars.count {
          text.append("\n")
          i += 1
          newline()
        }
        continue
      }
      let c = chars[i]
      switch c {
      case "\n":
        text.append(c)
        i += 1
        newline()
      case "\\":
        text.append(c)
        if i + 1 < chars.count, chars[i + 1] != "\n" {
          text.append(chars[i + 1])
          i += 2
        } else {
          i += 1
        }
      case "`":
        var n = 0
        while i + n < chars.count, chars[i + n] == "`" { n += 1 }
        if let end = Self.closingBackticks(length: n, from: i + n, in: chars) {
          for k in i..<end {
            text.append(chars[k])
            if chars[k] == "\n" { newline() }
          }
          i = end
        } else {
          text.append(contentsOf: String(repeating: "`", count: n))
          i += n
        }
      case "$":
        if let (span, end) = Self.mathSpan(at: i, in: chars, line: line) {
          text.append(Self.placeholder(spans.count))
          spans.append(span)
          for k in i..<end where chars[k] == "\n" { line += 1 }
          i = end
        } else {
          text.append(c)
          i += 1
        }
      default:
        text.append(c)
        i += 1
      }
    }
    unclosedFenceLine = fence?.line
  }

  /// A code fence (up to three spaces, then three or more backticks or tildes) at `i`.
  private static func fence(at start: Int, in chars: [Character]) -> (
    marker: Character, length: Int, infoIsBlank: Bool
  )? {
    var i = start
    var indent = 0
    while i < chars.count, chars[i] == " ", indent < 4 {
      i += 1
      indent += 1
    }
    guard indent < 4, i < chars.count, chars[i] == "`" || chars[i] == "~" else { return nil }
    let marker = chars[i]
    var length = 0
    while i < chars.count, chars[i] == marker {
      i += 1
      length += 1
    }
    guard length >= 3 else { return nil }
    var infoIsBlank = true
    while i < chars.count, chars[i] != "\n" {
      if chars[i] != " " && chars[i] != "\t" { infoIsBlank = false }
      if marker == "`" && chars[i] == "`" { return nil }  // not a fence: backticks in info
      i += 1
    }
    return (marker, length, infoIsBlank)
  }

  /// End index (exclusive) of a run of exactly `length` backticks closing a code span.
  private static func closingBackticks(length: Int, from start: Int, in chars: [Character]) -> Int? {
    var i = start
    while i < chars.count {
      if chars[i] == "\n", i + 1 < chars.count, chars[i + 1] == "\n" { return nil }
      if chars[i] == "`" {
        var n = 0
        while i + n < chars.count, chars[i + n] == "`" { n += 1 }
        if n == length { return i + n }
        i += n
      } else {
        i += 1
      }
    }
    return nil
  }

  /// A `{#eq-name}` label after a display's closing `$$` (spaces allowed before it), and the
  /// index past it; `(nil, start)` when there is none.
  private static func equationLabel(after start: Int, in chars: [Character]) -> (String?, Int) {
    var i = start
    while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
    let opening: [Character] = ["{", "#", "e", "q", "-"]
    guard i + opening.count < chars.count, Array(chars[i..<(i + opening.count)]) == opening,
      let close = chars[i...].firstIndex(of: "}")
    else { return (nil, start) }
    let label = String(chars[(i + 2)..<close])
    guard label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return (nil, start) }
    return (label, close + 1)
  }

  /// A math span opening at `start`, and the index just past its closing delimiter.
  private static func mathSpan(at start: Int, in chars: [Character], line: Int) -> (Span, Int)? {
    let display = start + 1 < chars.count && chars[start + 1] == "$"
    let contentStart = start + (display ? 2 : 1)
    guard contentStart < chars.count else { return nil }
    if !display, chars[contentStart].isWhitespace { return nil }
    var i = contentStart
    while i < chars.count {
      let c = chars[i]
      if c == "\\" {
        i += 2
        continue
      }
      if c == "\n", i + 1 < chars.count, chars[i + 1] == "\n" { return nil }  // blank line
      if c == "`", !display { return nil }  // code spans take precedence
      if c == "$" {
        if display {
          if i + 1 < chars.count, chars[i + 1] == "$" {
            let tex = String(chars[contentStart..<i])
            guard !tex.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            let (label, end) = equationLabel(after: i + 2, in: chars)
            return (Span(tex: tex, display: true, line: line, label: label), end)
          }
        } else {
          let before = chars[i - 1]
          let after: Character? = i + 1 < chars.count ? chars[i + 1] : nil
          if !before.isWhitespace, !(after?.isNumber ?? false) {
            return (Span(tex: String(chars[contentStart..<i]), display: false, line: line), i + 1)
          }
          return nil
        }
      }
      i += 1
    }
    return nil
  }
}
