/// The HTML around a chapter's article, and the index page.
enum PageTemplate {
  struct ChapterLink {
    var title: String
    var page: String
    var summary: String?
    var passedChecks: Int
    var totalChecks: Int
    /// The chapter has errors (shown only by the live preview).
    var failed = false
  }

  /// The live preview's list of a failing chapter's errors, in the editor's `file:line:col` form.
  static func errorBanner(_ errors: [Diagnostic]) -> String {
    guard !errors.isEmpty else { return "" }
    var html = "<section class=\"build-errors\" role=\"alert\"><h2>This chapter did not build</h2>\n<ul>\n"
    for error in errors {
      html += "<li><pre>\(HTML.escape(error.description))</pre></li>\n"
    }
    return html + "</ul></section>\n"
  }

  static func head(title: String) -> String {
    """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>\(HTML.escape(title))</title>
    <link rel="stylesheet" href="assets/katex/katex.min.css">
    <link rel="stylesheet" href="assets/notebook.css">
    <script src="assets/notebook.js" defer></script>
    </head>
    """
  }

  static func chapterPage(
    course: String, chapter: ChapterLink, article: String,
    headings: [(level: Int, html: String, anchor: String)], previous: ChapterLink?, next: ChapterLink?
  ) -> String {
    // A chapter without sections gets no empty table of contents, and a centred column.
    let sections = headings.filter { $0.level >= 2 && $0.level <= 3 }
    var toc = ""
    if !sections.isEmpty {
      toc = "<nav class=\"toc\" aria-label=\"Contents\"><p class=\"toc-title\">Contents</p><ul>\n"
      for heading in sections {
        toc +=
          "<li class=\"level-\(heading.level)\"><a href=\"#\(heading.anchor)\">\(heading.html)</a></li>\n"
      }
      toc += "</ul></nav>\n"
    }
    var pager = "<nav class=\"pager\" aria-label=\"Chapters\">"
    if let previous {
      pager += "<a class=\"previous\" href=\"\(previous.page)\" rel=\"prev\">← \(HTML.escape(previous.title))</a>"
    }
    if let next {
      pager += "<a class=\"next\" href=\"\(next.page)\" rel=\"next\">\(HTML.escape(next.title)) →</a>"
    }
    pager += "</nav>\n"
    let summary = chapter.summary.map { "<p class=\"summary\">\(HTML.escape($0))</p>\n" } ?? ""
    return head(title: "\(chapter.title) · \(course)") + """

      <body>
      \(siteHeader(course: course))
      <div class="\(toc.isEmpty ? "layout single" : "layout")">
      \(toc)<main>
      <article>
      <header class="chapter">
      <h1>\(HTML.escape(chapter.title))</h1>
      \(summary)\(status(chapter))
      </header>
      \(article)</article>
      \(pager)</main>
      </div>
      </body>
      </html>

      """
  }

  /// The ids the template writes on every page (`siteHeader`).
  static let ids: Set<String> = ["search", "search-results", "search-status"]

  /// The bar at the top of every page: the course title, and the search box (run by
  /// `SiteAssets.search`; `/` focuses it).
  static func siteHeader(course: String) -> String {
    """
    <header class="site"><a class="course" href="index.html">\(HTML.escape(course))</a>\
    <div class="search" role="search">\
    <input type="search" id="search" placeholder="Search (press /)" aria-label="Search the course" autocomplete="off" spellcheck="false">\
    <ul id="search-results" class="search-results" aria-label="Search results" hidden></ul>\
    <p id="search-status" class="visually-hidden" role="status"></p></div></header>
    """
  }

  static func status(_ chapter: ChapterLink) -> String {
    if chapter.failed { return "<p class=\"status fail\">Build failed</p>" }
    let all = chapter.totalChecks
    let passed = chapter.passedChecks
    if all == 0 { return "<p class=\"status none\">No checks</p>" }
    let state = passed == all ? "pass" : "fail"
    return "<p class=\"status \(state)\">\(passed) of \(all) checks pass</p>"
  }

  static func indexPage(course: String, chapters: [ChapterLink]) -> String {
    var list = "<ol class=\"chapters\">\n"
    for chapter in chapters {
      let summary = chapter.summary.map { "<p>\(HTML.escape($0))</p>" } ?? ""
      list +=
        "<li><a href=\"\(chapter.page)\">\(HTML.escape(chapter.title))</a>\(summary)\(status(chapter))</li>\n"
    }
    list += "</ol>\n"
    return head(title: course) + """

      <body>
      \(siteHeader(course: course))
      <div class="layout single">
      <main>
      <article>
      <h1>\(HTML.escape(course))</h1>
      <p class="summary">Every number on these pages was computed and checked when the site was built.</p>
      \(list)</article>
      </main>
      </div>
      </body>
      </html>

      """
  }
}
