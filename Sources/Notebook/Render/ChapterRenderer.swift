import Foundation
import NotebookEvents

/// Writes a resolved page's `<article>`, in reading order: prose, then each cell's code,
/// output, figures and check badges.
///
/// It reads the page and the typeset snippets only: numbers and anchors come from Resolve, and
/// it never runs code or reports a problem. Figures become files beside the page.
public struct ChapterRenderer {
  public let page: Page
  public var chapter: Chapter { page.chapter }
  public var result: ChapterResult { page.result }
  public var numbering: Numbering { page.numbering }
  /// The chapter's citations and References, formatted by pandoc (`Citations`).
  public var citations: Citations.Rendering? { page.citations }
  /// Math and highlighted code rendered at build time.
  public let prerendered: [NodeRenderer.Snippet: NodeRenderer.Rendering]

  /// Files the page refers to, by site-relative path (figures).
  public private(set) var files: [String: [UInt8]] = [:]

  public init(page: Page, prerendered: [NodeRenderer.Snippet: NodeRenderer.Rendering]) {
    self.page = page
    self.prerendered = prerendered
  }

  /// Highlighted HTML for code, or the escaped text when there is no grammar.
  private func code(_ text: String, language: String) -> String {
    if case .html(let html, _)? = prerendered[.code(text, language: language)] { return html }
    return HTML.escape(text)
  }

  /// Headings (level, rendered HTML, anchor) for a table of contents.
  public private(set) var headings: [(level: Int, html: String, anchor: String)] = []

  /// The page's sections as the search indexes them, in order (the text before the first
  /// heading is the chapter's own).
  public private(set) var searchSections: [SearchSection] = []

  public mutating func render() -> String {
    var html = ""
    searchSections = [
      SearchSection(
        id: chapter.pageName, chapter: chapter.frontMatter.title, section: chapter.frontMatter.title, text: "",
        code: "")
    ]
    for (position, block) in page.blocks.enumerated() {
      // The page header shows the title; a leading `# Title` repeating it is not drawn twice.
      if position == 0, chapter.leadingTitleHeading != nil { continue }
      html += render(block)
      if case .heading(_, let inlines, _) = block, let anchor = headings.last?.anchor {
        searchSections.append(
          SearchSection(
            id: chapter.pageName + "#" + anchor, chapter: chapter.frontMatter.title, section: searchText(inlines),
            text: "", code: ""))
      } else {
        index(block)
      }
    }
    html += referencesSection()
    searchSections = searchSections.filter { !$0.text.isEmpty || !$0.code.isEmpty || $0.id.contains("#") }
    return html
  }

  /// The chapter's References: every work it cites, as the style writes and orders them; each
  /// citation links to its entry (`#ref-key`).
  private mutating func referencesSection() -> String {
    guard let entries = citations?.entries, !entries.isEmpty, let anchor = page.anchors.references else { return "" }
    headings.append((2, "References", anchor))
    var html =
      Element.start("section", ["class": "references", "aria-labelledby": "\(anchor)"]) + "\n"
      + Element.make("h2", ["id": "\(anchor)"], "References" + Self.anchorLink(anchor)) + "\n"
      + Element.start("div", ["class": "csl-bib-body", "role": "list"]) + "\n"
    for (key, entry) in entries {
      html += Element.make("div", ["id": "ref-\(key)", "class": "csl-entry", "role": "listitem"], entry) + "\n"
    }
    searchSections.append(
      SearchSection(
        id: chapter.pageName + "#" + anchor, chapter: chapter.frontMatter.title, section: "References",
        text: entries.map { Citations.Formatter.plainText($0.html) }.joined(separator: " "), code: ""))
    return html + "</div>\n</section>\n"
  }

  /// Adds a block's text, and its code's identifiers, to the current search section.
  private mutating func index(_ block: MarkdownBlock) {
    var text: [String] = []
    var code: [String] = []
    func visit(_ block: MarkdownBlock) {
      switch block {
      case .paragraph(let inlines, _), .heading(_, let inlines, _): text.append(searchText(inlines))
      case .blockQuote(let children): children.forEach(visit)
      case .list(_, _, _, let items): items.joined().forEach(visit)
      case .code(_, let source, _): code += SearchIndex.identifiers(source)
      case .cell(let index):
        let cell = chapter.cells[index]
        code += SearchIndex.identifiers(cell.code)
        text += result.blocks[index].figures.compactMap { $0.caption ?? $0.altText }
      case .html, .thematicBreak: break
      }
    }
    visit(block)
    guard var section = searchSections.popLast() else { return }
    let joined = text.joined(separator: " ")
    if !joined.isEmpty { section.text += (section.text.isEmpty ? "" : " ") + joined }
    if !code.isEmpty {
      var known = Set(section.code.split(separator: " ").map(String.init))
      let fresh = code.filter { known.insert($0).inserted }
      if !fresh.isEmpty { section.code += (section.code.isEmpty ? "" : " ") + fresh.joined(separator: " ") }
    }
    searchSections.append(section)
  }

  /// Inline text as a reader sees it: values filled in, math as its TeX words, white space single.
  private func searchText(_ inlines: [Inline]) -> String {
    var out = ""
    func visit(_ inlines: [Inline]) {
      for inline in inlines {
        switch inline {
        case .text(let text), .code(let text, _), .literal(let text, _), .crossReference(let text, _): out += text
        case .citation(let source): out += citations?.plain[source] ?? source
        case .softBreak, .lineBreak: out += " "
        case .emphasis(let children), .strong(let children), .link(_, _, let children): visit(children)
        case .image(_, _, let alt): visit(alt)
        case .html: break
        case .math(let tex, _, _, _): out += " " + SearchIndex.texWords(tex) + " "
        case .expression(let index, _):
          out += index < result.inlineValues.count ? result.inlineValues[index] ?? "" : ""
        }
      }
    }
    visit(inlines)
    return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  private mutating func render(_ block: MarkdownBlock) -> String {
    switch block {
    case .paragraph(let inlines, _):
      return "<p>\(render(inlines))</p>\n"
    case .heading(let level, let inlines, let line):
      let anchor = page.anchors.headings[line] ?? HTML.slug(inlines.plainText)
      let content = render(inlines)
      headings.append((level, content, anchor))
      return
        Element.make("h\(level)", ["id": "\(anchor)"], content + Self.anchorLink(anchor)) + "\n"
    case .blockQuote(let children):
      return "<blockquote>\n\(children.map { render($0) }.joined())</blockquote>\n"
    case .list(let ordered, let start, let tight, let items):
      let tag = ordered ? "ol" : "ul"
      var html = Element.start(tag, ["start": ordered && start != 1 ? "\(start)" : nil]) + "\n"
      for item in items {
        var inner = ""
        for child in item {
          if tight, case .paragraph(let inlines, _) = child {
            inner += render(inlines)
          } else {
            inner += render(child)
          }
        }
        html += "<li>\(inner)</li>\n"
      }
      return html + "</\(tag)>\n"
    case .code(let language, let text, _):
      // cmark's literal, final line break included, as cmark writes it; highlighted without it.
      let lastBreak = text.hasSuffix("\n") ? "\n" : ""
      let inner = Element.make(
        "code", ["class": language.isEmpty ? nil : "language-\(language)"],
        code(text.withoutFinalLineBreak, language: language) + lastBreak)
      return Element.make("pre", ["class": "code"], inner) + "\n"
    case .html(let raw, _):
      return raw
    case .thematicBreak:
      return "<hr>\n"
    case .cell(let index):
      return renderCell(chapter.cells[index])
    }
  }

  private mutating func renderCell(_ cell: Cell) -> String {
    let block = result.blocks[cell.index]
    var html = ""
    // The code's last line ends in a line break, as cmark writes a code block.
    let lastBreak = cell.code.isEmpty ? "" : "\n"
    // Code that is shown but not run is marked so, for the eye (`norun`).
    let preClass = cell.mode == .display ? "code norun" : "code"
    let code =
      Element.make(
        "pre", ["class": "\(preClass)"],
        Element.make("code", ["class": "language-swift"], self.code(cell.code, language: "swift") + lastBreak)) + "\n"
    switch cell.mode {
    case .run, .display:
      html += code
    case .hidden:
      html += Element.make("details", ["class": "setup"], Element.make("summary", "Setup code") + "\n" + code) + "\n"
    case .exercise:
      let id = cell.exercise ?? ""
      html +=
        Element.make(
          "p", ["class": "exercise-label", "id": "exercise-\(id)"], "Exercise " + Element.make("code", HTML.escape(id)))
        + "\n" + code
    case .solution:
      html += code
    }
    if !block.output.isEmpty {
      var notice = ""
      if block.truncatedBytes > 0 {
        notice =
          "\n"
          + Element.make(
            "span", ["class": "notice"], "… output truncated: \(block.truncatedBytes) more bytes not shown")
      }
      html +=
        Element.make("pre", ["class": "output", "aria-label": "Output"], HTML.escape(block.output) + notice) + "\n"
    }
    if let error = block.error {
      html +=
        Element.make("div", ["class": "error", "role": "alert"], "<strong>Error:</strong> " + HTML.escape(error)) + "\n"
    }
    for (figure, number) in zip(block.figures, numbering.numbers[cell.index]) {
      let id = Numbering.anchor(of: figure, number: number)
      if figure.format == .table {
        guard let payload = try? JSONDecoder().decode(TablePayload.self, from: figure.data) else { continue }
        html += FigureMarkup.table(payload, number: number, caption: figure.caption, id: id)
        continue
      }
      let base = Page.figureBase(stem: chapter.stem, number: number)
      if figure.format == .explorable {
        guard let payload = try? JSONDecoder().decode(ExplorablePayload.self, from: figure.data),
          !payload.frames.isEmpty
        else { continue }
        let markup = FigureMarkup.explorable(payload, base: base, number: number, caption: figure.caption, id: id)
        files.merge(markup.files) { $1 }
        html += markup.html
        continue
      }
      let name = base + "." + figure.format.rawValue
      files[name] = Array(figure.data)
      let caption = Element.make(
        "figcaption",
        Element.make("span", ["class": "figure-number"], "Figure \(number).") + " "
          + HTML.escape(figure.caption ?? figure.altText))
      let image = Element.start("img", ["src": "\(name)", "alt": "\(figure.altText)", "loading": "lazy"])
      html += Element.make("figure", ["id": "\(id)"], image + caption) + "\n"
    }
    let checks = result.checks.filter { $0.cell == cell.index }
    if !checks.isEmpty {
      html += Element.make("ul", ["class": "checks"], "\n" + checks.map(badge).joined()) + "\n"
    }
    if cell.mode == .solution {
      let summary = Element.make(
        "summary", "Solution to exercise " + Element.make("code", HTML.escape(cell.exercise ?? "")))
      return Element.make("details", ["class": "solution"], summary + "\n" + html) + "\n"
    }
    return html
  }

  private func badge(_ check: CheckResult) -> String {
    let state = check.passed ? "pass" : "fail"
    let mark = check.passed ? "✓" : "✗"
    let detail = check.detail.map { " " + Element.make("span", ["class": "detail"], HTML.escape($0)) } ?? ""
    let markSpan = Element.make("span", ["class": "mark", "aria-hidden": "true"], mark)
    let statement: String
    if check.kind == .output {
      statement = "Output \(HTML.escape(check.value)): \(HTML.escape(check.expectation))"
    } else {
      statement =
        Element.make("span", ["class": "label"], HTML.escape(check.label)) + " = "
        + Element.make("span", ["class": "value"], HTML.escape(check.value)) + ", expected "
        + Element.make("span", ["class": "expect"], HTML.escape(check.expectation))
    }
    return Element.make("li", ["class": "check \(state)"], markSpan + " " + statement + detail) + "\n"
  }

  private func render(_ inlines: [Inline]) -> String {
    // glued[i]: the punctuation at the start of inline i + 1 that joins the formula at i.
    let glued = inlines.indices.map { index -> String in
      guard index + 1 < inlines.count, case .text(let next) = inlines[index + 1] else { return "" }
      return gluedPunctuation(after: inlines[index], before: next)
    }
    return inlines.indices.map { index -> String in
      switch inlines[index] {
      case .text(let text):
        return HTML.escape(String(text.dropFirst(index > 0 ? glued[index - 1].count : 0)))
      case .citation(let source):
        return citations?.citations[source] ?? Element.make("span", ["class": "citation missing"], HTML.escape(source))
      case .crossReference(let source, let resolved):
        guard let resolved else { return Element.make("span", ["class": "xref missing"], HTML.escape(source)) }
        return Element.make("a", ["class": "xref", "href": "#\(resolved.anchor)"], resolved.text)
      case .code(let text, _): return "<code>\(HTML.escape(text))</code>"
      case .literal(let text, _): return HTML.escape(text)
      case .softBreak: return "\n"
      case .lineBreak: return "<br>\n"
      case .emphasis(let children): return "<em>\(render(children))</em>"
      case .strong(let children): return "<strong>\(render(children))</strong>"
      case .link(let destination, let title, let children):
        return Element.make(
          "a", ["href": .url(Self.pageLink(destination)), "title": title.isEmpty ? nil : "\(title)"], render(children))
      case .image(let source, let title, let alt):
        return Element.start(
          "img", ["src": .url(source), "alt": "\(alt.plainText)", "title": title.isEmpty ? nil : "\(title)"])
      case .html(let raw): return raw
      case .math(let tex, let display, _, let label):
        let snippet = numbering.snippet(tex: tex, display: display, label: label)
        guard case .html(let html, _)? = prerendered[snippet] else {
          // A labelled formula that failed keeps its anchor: the LaTeX error is the one to report,
          // not a broken link from each reference to it.
          return Element.make("code", ["class": "math-error", "id": label.map { "\($0)" }], HTML.escape(tex))
        }
        if !glued[index].isEmpty {
          return Element.make("span", ["class": "nobreak"], html + HTML.escape(glued[index]))
        }
        return label.map { Element.make("span", ["class": "equation", "id": "\($0)"], html) } ?? html
      case .expression(let index, _):
        let value = index < result.inlineValues.count ? result.inlineValues[index] : nil
        return value.map { Element.make("span", ["class": "value"], HTML.escape($0)) }
          ?? Element.make("span", ["class": "value missing"], "?")
      }
    }.joined()
  }

  /// The punctuation that opens `text` and is kept on one line with the inline formula before
  /// it: browsers allow a break after KaTeX's boxes, which can start a line with a comma (a word
  /// joiner does not stop them). Only for formulas that cannot break inside anyway (one KaTeX
  /// `base`) or are short, so that long formulas still wrap on phones.
  private func gluedPunctuation(after inline: Inline, before text: String) -> String {
    guard case .math(let tex, false, _, nil) = inline, let first = text.first,
      Self.closingPunctuation.contains(first)
    else { return "" }
    let snippet = numbering.snippet(tex: tex, display: false, label: nil)
    guard case .html(_, let breaksInside)? = prerendered[snippet] else { return "" }
    guard !breaksInside || tex.count <= 30 else { return "" }
    return String(text.prefix { Self.closingPunctuation.contains($0) })
  }

  /// The `#` after a heading that links to it.
  private static func anchorLink(_ anchor: String) -> String {
    Element.make("a", ["class": "anchor", "href": "#\(anchor)", "aria-label": "Link to this section"], "#")
  }

  private static let closingPunctuation: Set<Character> = [",", ".", ";", ":", "!", "?", ")", "]", "’", "”"]

  /// A link as it appears in the site: links to another chapter's Markdown file
  /// (`02-ppca.md#section`) point at its page (`02-ppca.html#section`).
  static func pageLink(_ destination: String) -> String {
    guard !LinkChecker.isExternal(destination) else { return destination }
    let parts = destination.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
    guard let file = parts.first, file.hasSuffix(".md") else { return destination }
    let page = (file.split(separator: "/").last ?? file).dropLast(3) + ".html"
    return parts.count == 2 ? page + "#" + parts[1] : String(page)
  }
}
