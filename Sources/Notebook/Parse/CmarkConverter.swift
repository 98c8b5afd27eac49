internal import CCmark

/// Parses Markdown with libcmark, after math protection, and copies the tree into Swift values
/// (`MarkdownBlock`, `Inline`, `Cell`), then frees the C tree.
///
/// Lines are mapped back through `MathProtector.originalLine` so they match the file on disk.
/// Containers nested deeper than `NestingLimit.maximumDepth` are an error: every later stage
/// walks the tree recursively.
struct CmarkConverter {
  let path: String
  let math: MathProtector
  /// The fenced code blocks of the first pass, by opening line.
  let fences: [Int: VerbatimBlocks.Fence]
  /// The chapter's lines as written (front matter blanked), for columns.
  let lines: SourceLines
  let edition: Edition

  private(set) var cells: [Cell] = []
  private(set) var expressions: [InlineExpression] = []
  private(set) var diagnostics: [Diagnostic] = []
  private var runnableCells = 0
  private var reportedDepth = false
  /// How many `{swift}` spans each line has had so far.
  private var expressionsOnLine: [Int: Int] = [:]
  /// The columns of the `{swift}` markers of each line looked at, found once per line.
  private var markerColumns: [Int: [Int]] = [:]

  init(path: String, math: MathProtector, verbatim: VerbatimBlocks, edition: Edition) {
    self.path = path
    self.math = math
    self.fences = verbatim.fences
    self.lines = verbatim.lines
    self.edition = edition
  }

  mutating func convert() -> [MarkdownBlock] {
    // Source positions make cmark count the lines inside code spans and inline HTML.
    guard let document = Cmark.parse(math.text, options: CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS) else {
      diagnostics.append(Diagnostic(at: SourceLocation(file: path, line: 1), "cmark could not parse the chapter"))
      return []
    }
    defer { cmark_node_free(document) }
    return blocks(under: document, depth: 0)
  }

  /// Whether a container at `depth` may be entered; reports the first one too deep, at `line`.
  private mutating func enter(_ node: OpaquePointer, depth: Int, line: Int) -> Bool {
    guard depth > NestingLimit.maximumDepth else { return true }
    if !reportedDepth {
      reportedDepth = true
      diagnostics.append(
        Diagnostic(
          at: SourceLocation(file: path, line: line, column: column(of: node, on: line)), NestingLimit.message))
    }
    return false
  }

  // MARK: Blocks

  private func originalLine(_ node: OpaquePointer) -> Int {
    let line = Int(cmark_node_get_start_line(node))
    return line < math.originalLine.count ? math.originalLine[max(line, 1)] : line
  }

  private mutating func blocks(under parent: OpaquePointer, depth: Int) -> [MarkdownBlock] {
    var result: [MarkdownBlock] = []
    var child = cmark_node_first_child(parent)
    while let node = child {
      if let block = block(node, previous: result.last, depth: depth) {
        result.append(block)
      }
      child = cmark_node_next(node)
    }
    return result
  }

  private mutating func block(_ node: OpaquePointer, previous: MarkdownBlock?, depth: Int) -> MarkdownBlock? {
    let line = originalLine(node)
    switch cmark_node_get_type(node) {
    case CMARK_NODE_PARAGRAPH:
      var cursor = line
      return .paragraph(inlines(under: node, line: &cursor, depth: depth), line: line)
    case CMARK_NODE_HEADING:
      var cursor = line
      return .heading(
        level: Int(cmark_node_get_heading_level(node)), inlines(under: node, line: &cursor, depth: depth), line: line)
    case CMARK_NODE_BLOCK_QUOTE:
      guard enter(node, depth: depth + 1, line: line) else { return nil }
      return .blockQuote(blocks(under: node, depth: depth + 1))
    case CMARK_NODE_LIST:
      guard enter(node, depth: depth + 1, line: line) else { return nil }
      var items: [[MarkdownBlock]] = []
      var item = cmark_node_first_child(node)
      while let current = item {
        items.append(blocks(under: current, depth: depth + 1))
        item = cmark_node_next(current)
      }
      return .list(
        ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
        start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0,
        items: items)
    case CMARK_NODE_CODE_BLOCK:
      return codeBlock(node, line: line, previous: previous)
    case CMARK_NODE_HTML_BLOCK:
      return .html(restoreMath(literal(node)), line: line)
    case CMARK_NODE_THEMATIC_BREAK:
      return .thematicBreak
    default:
      return nil
    }
  }

  private mutating func codeBlock(_ node: OpaquePointer, line: Int, previous: MarkdownBlock?)
    -> MarkdownBlock?
  {
    // Math protection cannot see every code block (an indented one, a fence deep in a list),
    // so put back any `$...$` it replaced.
    let info = FenceInfo(restoreMath(string(cmark_node_get_fence_info(node))))
    // A cell's code, like an expected output, is its lines without the last line break; a code
    // block shown as it is keeps cmark's literal, which the page writes whole.
    let text = restoreMath(literal(node))
    var code = text
    if code.hasSuffix("\n") { code.removeLast() }
    let location = SourceLocation(file: path, line: line)
    switch info.language {
    case "swift":
      var mode = Cell.Mode.display
      var exercise: String?
      do {
        (mode, exercise) = try info.cellMode()
      } catch {
        diagnostics.append(
          Diagnostic(
            at: location,
            "unknown option in ```\(info.language) \(info.words.joined(separator: " "))```: use `swift`, "
              + "`swift hide`, `swift norun`, `swift exercise=ID` or `swift solution=ID`"
          ))
      }
      var cell = Cell(index: cells.count, mode: mode, code: code, fenceLine: line, exercise: exercise)
      if mode == .exercise, edition == .instructor { cell.runs = false }  // its solution runs instead
      if cell.runs { runnableCells += 1 }
      if mode == .solution, edition == .student {
        diagnostics.append(Diagnostic(at: location, "a solution block in the student edition"))
      }
      cells.append(cell)
      return .cell(cells.count - 1)
    case "output":
      guard case .cell(let index)? = previous, cells[index].runs, cells[index].expectedOutput == nil else {
        diagnostics.append(
          Diagnostic(at: location, "an ```output``` block must come right after a ```swift``` block that runs"))
        return .code(language: "text", text: text, line: line)
      }
      do {
        let (relative, absolute) = try info.outputTolerances()
        cells[index].expectedOutput = ExpectedOutput(
          text: code, tolerance: relative, absoluteTolerance: absolute, fenceLine: line,
          lastLine: fences[line]?.lastLine
            ?? min(line + (code.isEmpty ? 0 : code.lineBreakCount + 1) + 1, max(lines.count, line)))
      } catch {
        diagnostics.append(
          Diagnostic(
            at: location,
            "bad ```output``` options: use `tolerance=<relative>` and `atol=<absolute>` with non-negative numbers"))
      }
      return nil
    default:
      return .code(language: info.language, text: text, line: line)
    }
  }

  // MARK: Inlines

  /// Converts inline children; `line` advances at every line break, including those hidden
  /// inside a node (a multi-line code span, HTML tag, link title or display formula), so nodes
  /// know their line.
  private mutating func inlines(under parent: OpaquePointer, line: inout Int, depth: Int) -> [Inline] {
    var result: [Inline] = []
    var child = cmark_node_first_child(parent)
    while let node = child {
      switch cmark_node_get_type(node) {
      case CMARK_NODE_TEXT:
        var pieces = splitMath(literal(node), line: line)
        // cmark cuts text at every `[` and `]`; joined again, `[@kingma2014]` is one text.
        if case .text(let previous)? = result.last, case .text(let first)? = pieces.first {
          result[result.count - 1] = .text(previous + first)
          pieces.removeFirst()
        }
        result.append(contentsOf: pieces)
        // A display that spanned several lines is one placeholder here: count its lines back in.
        line += pieces.reduce(0) { $0 + $1.spannedLineBreaks }
      case CMARK_NODE_SOFTBREAK:
        result.append(.softBreak)
        line += 1
      case CMARK_NODE_LINEBREAK:
        result.append(.lineBreak)
        line += 1
      case CMARK_NODE_CODE:
        let span = codeSpan(node, line: line)
        result.append(span)
        line += span.spannedLineBreaks
      case CMARK_NODE_HTML_INLINE:
        let html = Inline.html(restoreMath(literal(node)))
        result.append(html)
        line += html.spannedLineBreaks
      case CMARK_NODE_EMPH, CMARK_NODE_STRONG:
        guard enter(node, depth: depth + 1, line: line) else { break }
        let children = inlines(under: node, line: &line, depth: depth + 1)
        result.append(cmark_node_get_type(node) == CMARK_NODE_EMPH ? .emphasis(children) : .strong(children))
      case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
        guard enter(node, depth: depth + 1, line: line) else { break }
        let destination = restoreMath(string(cmark_node_get_url(node)))
        let title = restoreMath(string(cmark_node_get_title(node)))
        let children = inlines(under: node, line: &line, depth: depth + 1)
        // The title comes after the link text in the source.
        line += title.lineBreakCount
        result.append(
          cmark_node_get_type(node) == CMARK_NODE_LINK
            ? .link(destination: destination, title: title, children)
            : .image(source: destination, title: title, alt: children))
      default:
        break
      }
      child = cmark_node_next(node)
    }
    return result
  }

  /// A code span, or an inline expression when it reads `` `{swift} expr` ``.
  private mutating func codeSpan(_ node: OpaquePointer, line: Int) -> Inline {
    let text = restoreMath(literal(node))
    // cmark turns the span's line endings into spaces but counts them in its source positions.
    let lineBreaks =
      max(Int(cmark_node_get_end_line(node)) - Int(cmark_node_get_start_line(node)), 0) + text.lineBreakCount
    let literal = "{literal}"
    if text.hasPrefix(literal) {
      return .literal(text.dropFirst(literal.count).trimmingCharacters(in: .whitespaces), lineBreaks: lineBreaks)
    }
    let marker = "{swift}"
    guard text.hasPrefix(marker) else { return .code(text, lineBreaks: lineBreaks) }
    let afterMarker = text.dropFirst(marker.count)
    let source = afterMarker.trimmingCharacters(in: .whitespaces)
    // The marker's column in the file, in bytes as the compiler counts them; the expression
    // starts after the marker and its spaces.
    let occurrence = expressionsOnLine[line, default: 0]
    expressionsOnLine[line] = occurrence + 1
    if markerColumns[line] == nil { markerColumns[line] = Self.markerColumns(in: lines[line]) }
    let columns = markerColumns[line] ?? []
    let markerColumn = occurrence < columns.count ? columns[occurrence] : self.column(of: node, on: line)
    let leadingSpaces = afterMarker.prefix { $0 == " " || $0 == "\t" }.utf8.count
    // (A span broken after its marker starts the expression on the next line: the end of this one.)
    let column = min(markerColumn + marker.utf8.count + leadingSpaces, lines[line].count + 1)
    if source.isEmpty {
      diagnostics.append(
        Diagnostic(at: SourceLocation(file: path, line: line, column: column), "empty `{swift}` expression"))
      return .code(text, lineBreaks: lineBreaks)
    }
    expressions.append(
      InlineExpression(
        index: expressions.count, source: source, line: line, column: column,
        afterCellCount: runnableCells))
    return .expression(expressions.count - 1, lineBreaks: lineBreaks)
  }

  /// The byte columns of the `{swift}` markers opening code spans on a line of the file, in
  /// order. cmark's columns for inline nodes are off after math placeholders and on lazy lines.
  private static func markerColumns(in text: ArraySlice<UInt8>) -> [Int] {
    let marker = Array("{swift}".utf8)
    let backtick = UInt8(ascii: "`")
    var columns: [Int] = []
    for start in text.indices where text[start] == backtick {
      if start > text.startIndex, text[start - 1] == backtick { continue }  // inside a run
      var i = start
      while i < text.endIndex, text[i] == backtick { i += 1 }
      if i < text.endIndex, text[i] == UInt8(ascii: " ") { i += 1 }
      if text[i...].starts(with: marker) { columns.append(i - text.startIndex + 1) }
    }
    return columns
  }

  /// cmark's column for a node, kept on its line of the file.
  private func column(of node: OpaquePointer, on line: Int) -> Int {
    min(max(Int(cmark_node_get_start_column(node)), 1), lines[line].count + 1)
  }

  /// Splits text at math placeholders into text and math nodes.
  private func splitMath(_ text: String, line: Int) -> [Inline] {
    var result: [Inline] = []
    math.scan(text) { piece in
      switch piece {
      case .text(let run): result.append(.text(run))
      case .span(let span):
        result.append(.math(tex: span.tex, display: span.display, line: span.line, label: span.label))
      }
    }
    return result
  }

  /// Puts original `$...$` text back where math was protected inside code or HTML.
  private func restoreMath(_ text: String) -> String {
    var result = ""
    math.scan(text) { piece in
      switch piece {
      case .text(let run): result += run
      case .span(let span):
        let delimiter = span.display ? "$$" : "$"
        result += delimiter + span.tex + delimiter
      }
    }
    return result
  }

  private func literal(_ node: OpaquePointer) -> String { string(cmark_node_get_literal(node)) }

  private func string(_ pointer: UnsafePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }
}
