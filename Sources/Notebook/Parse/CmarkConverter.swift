internal import CCmark

/// The one place that touches cmark: parses Markdown with libcmark, copies the tree into
/// Swift values (`MarkdownBlock`, `Inline`, `Cell`), then frees the C tree.
///
/// Lines are mapped back through `MathProtector.originalLine` so they match the file on disk.
struct CmarkConverter {
  let path: String
  let math: MathProtector
  let edition: Edition

  private(set) var cells: [Cell] = []
  private(set) var expressions: [InlineExpression] = []
  private(set) var diagnostics: [Diagnostic] = []

  init(path: String, math: MathProtector, edition: Edition) {
    self.path = path
    self.math = math
    self.edition = edition
  }

  mutating func convert() -> [MarkdownBlock] {
    let text = math.text
    let utf8 = Array(text.utf8)
    guard
      let document = utf8.withUnsafeBufferPointer({ buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
          cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
        }
      })
    else {
      diagnostics.append(Diagnostic(at: SourceLocation(file: path, line: 1), "cmark could not parse the chapter"))
      return []
    }
    defer { cmark_node_free(document) }
    return blocks(under: document)
  }

  // MARK: Blocks

  private func originalLine(_ node: OpaquePointer) -> Int {
    let line = Int(cmark_node_get_start_line(node))
    return line < math.originalLine.count ? math.originalLine[max(line, 1)] : line
  }

  private mutating func blocks(under parent: OpaquePointer) -> [MarkdownBlock] {
    var result: [MarkdownBlock] = []
    var child = cmark_node_first_child(parent)
    while let node = child {
      if let block = block(node, previous: result.last) {
        result.append(block)
      }
      child = cmark_node_next(node)
    }
    return result
  }

  private mutating func block(_ node: OpaquePointer, previous: MarkdownBlock?) -> MarkdownBlock? {
    let line = originalLine(node)
    switch cmark_node_get_type(node) {
    case CMARK_NODE_PARAGRAPH:
      var cursor = line
      return .paragraph(inlines(under: node, line: &cursor), line: line)
    case CMARK_NODE_HEADING:
      var cursor = line
      return .heading(
        level: Int(cmark_node_get_heading_level(node)), inlines(under: node, line: &cursor), line: line)
    case CMARK_NODE_BLOCK_QUOTE:
      return .blockQuote(blocks(under: node))
    case CMARK_NODE_LIST:
      var items: [[MarkdownBlock]] = []
      var item = cmark_node_first_child(node)
      while let current = item {
        items.append(blocks(under: current))
        item = cmark_node_next(current)
      }
      return .list(
        ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
        start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0,
        items: items)
    case CMARK_NODE_CODE_BLOCK:
      return codeBlock(node, line: line, previous: previous)
    case CMARK_NODE_HTML_BLOCK:
      return .html(restoreMath(literal(node)))
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
    var code = restoreMath(literal(node))
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
      if mode == .solution, edition == .student {
        diagnostics.append(Diagnostic(at: location, "a solution block in the student edition"))
      }
      cells.append(cell)
      return .cell(cells.count - 1)
    case "output":
      guard case .cell(let index)? = previous, cells[index].runs, cells[index].expectedOutput == nil else {
        diagnostics.append(
          Diagnostic(at: location, "an ```output``` block must come right after a ```swift``` block that runs"))
        return .code(language: "text", text: code, line: line)
      }
      do {
        let (relative, absolute) = try info.outputTolerances()
        cells[index].expectedOutput = ExpectedOutput(
          text: code, tolerance: relative, absoluteTolerance: absolute, fenceLine: line)
      } catch {
        diagnostics.append(
          Diagnostic(
            at: location,
            "bad ```output``` options: use `tolerance=<relative>` and `atol=<absolute>` with non-negative numbers"))
      }
      return nil
    default:
      return .code(language: info.language, text: code, line: line)
    }
  }

  // MARK: Inlines

  /// Converts inline children; `line` advances at every line break so nodes know their line.
  private mutating func inlines(under parent: OpaquePointer, line: inout Int) -> [Inline] {
    var result: [Inline] = []
    var child = cmark_node_first_child(parent)
    while let node = child {
      switch cmark_node_get_type(node) {
      case CMARK_NODE_TEXT:
        let pieces = splitMath(literal(node), line: line)
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
        result.append(codeSpan(node, line: line))
      case CMARK_NODE_HTML_INLINE:
        result.append(.html(restoreMath(literal(node))))
      case CMARK_NODE_EMPH:
        result.append(.emphasis(inlines(under: node, line: &line)))
      case CMARK_NODE_STRONG:
        result.append(.strong(inlines(under: node, line: &line)))
      case CMARK_NODE_LINK:
        result.append(
          .link(
            destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)),
            inlines(under: node, line: &line)))
      case CMARK_NODE_IMAGE:
        result.append(
          .image(
            source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)),
            alt: inlines(under: node, line: &line)))
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
    let literal = "{literal}"
    if text.hasPrefix(literal) { return .literal(text.dropFirst(literal.count).trimmingCharacters(in: .whitespaces)) }
    let marker = "{swift}"
    guard text.hasPrefix(marker) else { return .code(text) }
    let afterMarker = text.dropFirst(marker.count)
    let source = afterMarker.trimmingCharacters(in: .whitespaces)
    // cmark gives the column of the span's content (after the backticks), in bytes as the
    // compiler counts them; the expression starts after the marker and its spaces.
    let leadingSpaces = afterMarker.prefix { $0 == " " || $0 == "\t" }.utf8.count
    let column = Int(cmark_node_get_start_column(node)) + marker.utf8.count + leadingSpaces
    if source.isEmpty {
      diagnostics.append(
        Diagnostic(at: SourceLocation(file: path, line: line, column: max(column, 1)), "empty `{swift}` expression"))
      return .code(text)
    }
    let runnable = cells.filter(\.runs).count
    expressions.append(
      InlineExpression(
        index: expressions.count, source: source, line: line, column: max(column, 1),
        afterCellCount: runnable))
    return .expression(expressions.count - 1)
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
