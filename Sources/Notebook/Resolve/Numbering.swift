import Foundation

/// Numbers for a chapter's labeled equations (`$$ ... $$ {#eq-name}`), its figures and tables, and
/// the references prose makes to them (`@eq-name`, `@fig-name`, `@tbl-name`).
public struct Numbering: Sendable {
  /// Label → equation number, in document order.
  public var equations: [String: Int] = [:]
  /// Label → figure number; every figure is numbered, labeled or not.
  public var figures: [String: Int] = [:]
  /// Label → table number (`display(Table(...))`), counted apart from figures.
  public var tables: [String: Int] = [:]
  /// The number each figure of each block shows, `numbers[block][figure]`: a table's among the
  /// tables, any other figure's among the figures.
  public var numbers: [[Int]] = []

  public init(chapter: Chapter, result: ChapterResult?) {
    for (_, label) in chapter.displayLabels where equations[label] == nil {
      equations[label] = equations.count + 1
    }
    var count = 0
    var tableCount = 0
    for block in result?.blocks ?? [] {
      var blockNumbers: [Int] = []
      for figure in block.figures {
        if figure.format == .table {
          tableCount += 1
          if let label = figure.label { tables[label] = tableCount }
          blockNumbers.append(tableCount)
        } else {
          count += 1
          if let label = figure.label { figures[label] = count }
          blockNumbers.append(count)
        }
      }
      numbers.append(blockNumbers)
    }
  }

  /// The anchor a figure or table is written with: its label, or its kind and number.
  public static func anchor(of figure: Figure, number: Int) -> String {
    figure.label ?? (figure.format == .table ? "table-\(number)" : "figure-\(number)")
  }

  /// The snippet KaTeX renders for a formula: a labeled display gets its `\tag{n}`.
  public func snippet(tex: String, display: Bool, label: String?) -> NodeRenderer.Snippet {
    if display, let label, let number = equations[label] {
      return .math(tex + "\n\\tag{\(number)}", display: true)
    }
    return .math(tex, display: display)
  }

  /// The link text and target of a reference, or nil for an unknown label.
  public func resolve(_ label: String) -> CrossReference? {
    if let number = equations[label] { return CrossReference(text: "Equation (\(number))", anchor: label) }
    if let number = figures[label] { return CrossReference(text: "Figure \(number)", anchor: label) }
    if let number = tables[label] { return CrossReference(text: "Table \(number)", anchor: label) }
    return nil
  }

  /// `@eq-name`, `@fig-name` or `@tbl-name`, not inside a word or an e-mail address.
  static let referencePattern = try! NSRegularExpression(
    pattern: #"(?<![A-Za-z0-9._%+-])@((?:eq|fig|tbl)-[A-Za-z0-9_-]*[A-Za-z0-9])"#)

  /// Splits text into plain runs and reference labels.
  static func split(_ text: String) -> [(text: String, label: String?)] {
    guard text.utf8.contains(UInt8(ascii: "@")) else { return text.isEmpty ? [] : [(text, nil)] }
    var parts: [(String, String?)] = []
    var cursor = text.startIndex
    for match in referencePattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
      guard let whole = Range(match.range, in: text), let label = Range(match.range(at: 1), in: text) else {
        continue
      }
      if cursor < whole.lowerBound { parts.append((String(text[cursor..<whole.lowerBound]), nil)) }
      parts.append((String(text[whole]), String(text[label])))
      cursor = whole.upperBound
    }
    if cursor < text.endIndex { parts.append((String(text[cursor...]), nil)) }
    return parts
  }
}

extension Chapter {
  /// Every formula with its line, as the snippet KaTeX renders.
  func mathSnippets(_ numbering: Numbering) -> [(snippet: NodeRenderer.Snippet, line: Int)] {
    var found: [(NodeRenderer.Snippet, Int)] = []
    walkInlines { inline, _ in
      if case .math(let tex, let display, let line, let label) = inline {
        found.append((numbering.snippet(tex: tex, display: display, label: label), line))
      }
    }
    return found
  }

  /// Every piece of code shown on the page, to be highlighted.
  public var codeSnippets: [NodeRenderer.Snippet] {
    var found = cells.map { NodeRenderer.Snippet.code($0.code, language: "swift") }
    func visit(_ blocks: [MarkdownBlock]) {
      for block in blocks {
        switch block {
        case .code(let language, let text, _) where !language.isEmpty:
          found.append(.code(text.withoutFinalLineBreak, language: language))
        case .blockQuote(let children): visit(children)
        case .list(_, _, _, let items): items.forEach(visit)
        default: break
        }
      }
    }
    visit(blocks)
    return found
  }

  /// Labels of display equations, with their lines.
  var displayLabels: [(line: Int, label: String)] {
    var found: [(Int, String)] = []
    walkInlines { inline, _ in
      if case .math(_, true, let line, let label?) = inline { found.append((line, label)) }
    }
    return found
  }

  /// `@eq-...` and `@fig-...` references in prose, with their lines.
  public var references: [(label: String, line: Int)] {
    var found: [(String, Int)] = []
    walkInlines { inline, line in
      guard case .text(let text) = inline else { return }
      for part in Numbering.split(text) {
        if let label = part.label { found.append((label, line)) }
      }
    }
    return found
  }

  /// Link and image destinations in prose, with their lines.
  public var linkLines: [(destination: String, line: Int)] {
    var found: [(String, Int)] = []
    walkInlines { inline, line in
      switch inline {
      case .link(let destination, _, _), .image(let destination, _, _): found.append((destination, line))
      default: break
      }
    }
    return found
  }

  /// The `href` and `src` attributes of raw HTML, blocks and inline tags, with their lines.
  var rawHTMLLinks: [(attribute: RawHTMLAttributes.Attribute, line: Int)] {
    var found: [(RawHTMLAttributes.Attribute, Int)] = []
    walkRawHTMLAttributes { attribute, line in
      // Whatever the link checker reads as a link: `xlink:href` and `data-src` too.
      if attribute.value != nil, attribute.name.hasSuffix("href") || attribute.name.hasSuffix("src") {
        found.append((attribute, line))
      }
    }
    return found
  }

  /// Visits every attribute of the chapter's raw HTML, blocks and inline tags, in document order
  /// with the line it is written on.
  func walkRawHTMLAttributes(_ visit: (RawHTMLAttributes.Attribute, Int) -> Void) {
    func scan(_ raw: String, _ line: Int) {
      for attribute in RawHTMLAttributes.attributes(in: raw) { visit(attribute, line + attribute.lineOffset) }
    }
    walkInlines(htmlBlock: scan) { inline, line in
      if case .html(let raw) = inline { scan(raw, line) }
    }
  }

  /// Visits every inline in document order with the line it sits on, and `htmlBlock` every raw
  /// HTML block with its first line, in its place.
  func walkInlines(htmlBlock: (String, Int) -> Void = { _, _ in }, _ visit: (Inline, Int) -> Void) {
    func walk(_ inlines: [Inline], _ line: inout Int) {
      for inline in inlines {
        visit(inline, line)
        line += inline.spannedLineBreaks
        switch inline {
        case .softBreak, .lineBreak: line += 1
        case .emphasis(let c), .strong(let c): walk(c, &line)
        case .link(_, let title, let c), .image(_, let title, let c):
          walk(c, &line)
          line += title.lineBreakCount
        default: break
        }
      }
    }
    func walk(_ blocks: [MarkdownBlock]) {
      for block in blocks {
        switch block {
        case .paragraph(let inlines, let line), .heading(_, let inlines, let line):
          var cursor = line
          walk(inlines, &cursor)
        case .html(let raw, let line): htmlBlock(raw, line)
        case .blockQuote(let children): walk(children)
        case .list(_, _, _, let items): items.forEach(walk)
        default: break
        }
      }
    }
    walk(blocks)
  }
}

extension Page {
  /// Every formula of the page with its line, as the snippet KaTeX renders (a labeled display
  /// with its number).
  public var mathSnippets: [(snippet: NodeRenderer.Snippet, line: Int)] { chapter.mathSnippets(numbering) }
}
