import Foundation

/// Renders a chapter and its results to the HTML of its `<article>`, in reading order:
/// prose, then each cell's code, output, figures and check badges.
///
/// It reads results only; it never runs code. Figures become files beside the page.
public struct ChapterRenderer {
  public let chapter: Chapter
  public let result: ChapterResult
  public let math: [KaTeX.Formula: KaTeX.Rendering]

  /// Files the page refers to, by site-relative path (figures).
  public private(set) var files: [String: [UInt8]] = [:]
  private var usedAnchors: Set<String> = []
  private var figureCount = 0

  public init(chapter: Chapter, result: ChapterResult, math: [KaTeX.Formula: KaTeX.Rendering]) {
    self.chapter = chapter
    self.result = result
    self.math = math
  }

  /// Headings (level, text, anchor) for a table of contents.
  public private(set) var headings: [(level: Int, text: String, anchor: String)] = []

  public mutating func render() -> String {
    var html = ""
    for (position, block) in chapter.blocks.enumerated() {
      // The page header shows the title; a leading `# Title` repeating it is not drawn twice.
      if position == 0, case .heading(1, let inlines, _) = block, inlines.plainText == chapter.frontMatter.title {
        continue
      }
      html += render(block)
    }
    return html
  }

  private mutating func render(_ block: MarkdownBlock) -> String {
    switch block {
    case .paragraph(let inlines, _):
      return "<p>\(render(inlines))</p>\n"
    case .heading(let level, let inlines, _):
      let text = inlines.plainText
      var anchor = HTML.slug(text)
      var n = 2
      while usedAnchors.contains(anchor) {
        anchor = HTML.slug(text) + "-\(n)"
        n += 1
      }
      usedAnchors.insert(anchor)
      headings.append((level, text, anchor))
      return
        "<h\(level) id=\"\(anchor)\">\(render(inlines))<a class=\"anchor\" href=\"#\(anchor)\" aria-label=\"Link to this section\">#</a></h\(level)>\n"
    case .blockQuote(let children):
      return "<blockquote>\n\(children.map { render($0) }.joined())</blockquote>\n"
    case .list(let ordered, let start, let tight, let items):
      let tag = ordered ? "ol" : "ul"
      let startAttribute = ordered && start != 1 ? " start=\"\(start)\"" : ""
      var html = "<\(tag)\(startAttribute)>\n"
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
      let cls = language.isEmpty ? "" : " class=\"language-\(HTML.escape(language))\""
      return "<pre class=\"code\"><code\(cls)>\(HTML.escape(text))</code></pre>\n"
    case .html(let raw):
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
    let code = "<pre class=\"code\"><code class=\"language-swift\">\(HTML.escape(cell.code))</code></pre>\n"
    switch cell.mode {
    case .run:
      html += code
    case .hidden:
      html += "<details class=\"setup\"><summary>Setup code</summary>\n\(code)</details>\n"
    case .display:
      html += code.replacingOccurrences(of: "<pre class=\"code\">", with: "<pre class=\"code norun\">")
    }
    if !block.output.isEmpty {
      var notice = ""
      if block.truncatedBytes > 0 {
        notice = "\n<span class=\"notice\">… output truncated: \(block.truncatedBytes) more bytes not shown</span>"
      }
      html += "<pre class=\"output\" aria-label=\"Output\">\(HTML.escape(block.output))\(notice)</pre>\n"
    }
    if let error = block.error {
      html += "<div class=\"error\" role=\"alert\"><strong>Error:</strong> \(HTML.escape(error))</div>\n"
    }
    for figure in block.figures {
      figureCount += 1
      let stem = String(chapter.pageName.dropLast(5))
      let name = "figures/\(stem)-\(figureCount).\(figure.format.rawValue)"
      files[name] = figure.data
      let caption = figure.caption.map { "<figcaption>Figure \(figureCount). \(HTML.escape($0))</figcaption>" } ?? ""
      html +=
        "<figure id=\"figure-\(figureCount)\"><img src=\"\(name)\" alt=\"\(HTML.escape(figure.altText))\" loading=\"lazy\">\(caption)</figure>\n"
    }
    let checks = result.checks.filter { $0.cell == cell.index }
    if !checks.isEmpty {
      html += "<ul class=\"checks\">\n"
      for check in checks { html += badge(check) }
      html += "</ul>\n"
    }
    return html
  }

  private func badge(_ check: CheckResult) -> String {
    let state = check.passed ? "pass" : "fail"
    let mark = check.passed ? "✓" : "✗"
    let detail = check.detail.map { " <span class=\"detail\">\(HTML.escape($0))</span>" } ?? ""
    if check.kind == .output {
      return
        "<li class=\"check \(state)\"><span class=\"mark\" aria-hidden=\"true\">\(mark)</span> Output \(HTML.escape(check.value)): \(HTML.escape(check.expectation))\(detail)</li>\n"
    }
    return
      "<li class=\"check \(state)\"><span class=\"mark\" aria-hidden=\"true\">\(mark)</span> <span class=\"label\">\(HTML.escape(check.label))</span> = <span class=\"value\">\(HTML.escape(check.value))</span>, expected <span class=\"expect\">\(HTML.escape(check.expectation))</span>\(detail)</li>\n"
  }

  private func render(_ inlines: [Inline]) -> String {
    inlines.map { inline -> String in
      switch inline {
      case .text(let text): return HTML.escape(text)
      case .code(let text): return "<code>\(HTML.escape(text))</code>"
      case .softBreak: return "\n"
      case .lineBreak: return "<br>\n"
      case .emphasis(let children): return "<em>\(render(children))</em>"
      case .strong(let children): return "<strong>\(render(children))</strong>"
      case .link(let destination, let title, let children):
        let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
        return "<a href=\"\(HTML.escape(destination))\"\(titleAttribute)>\(render(children))</a>"
      case .image(let source, let title, let alt):
        let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
        return "<img src=\"\(HTML.escape(source))\" alt=\"\(HTML.escape(alt.plainText))\"\(titleAttribute)>"
      case .html(let raw): return raw
      case .math(let tex, let display, _):
        switch math[KaTeX.Formula(tex: tex, display: display)] {
        case .html(let html)?: return html
        default: return "<code class=\"math-error\">\(HTML.escape(tex))</code>"
        }
      case .expression(let index):
        let value = index < result.inlineValues.count ? result.inlineValues[index] : nil
        return value.map { "<span class=\"value\">\(HTML.escape($0))</span>" }
          ?? "<span class=\"value missing\">?</span>"
      }
    }.joined()
  }
}
