/// The anchors of a page's headings, given once by Resolve: a heading's slug (`HTML.slug`),
/// with `-2`, `-3`, ... for a slug already taken, in reading order; then `references` (or the
/// first free `references-n`) for the References section of a chapter that cites.
public struct PageAnchors: Sendable, Equatable {
  /// Each heading's anchor, by the heading's Markdown line. A leading `# Title` that repeats
  /// the front matter's title is not drawn (the page header shows it) and has none.
  public var headings: [Int: String] = [:]
  /// The References section's anchor, when the chapter cites.
  public var references: String?

  public init(chapter: Chapter, hasReferences: Bool) {
    var used: Set<String> = []
    // For each slug, the suffix to try next: smaller ones are taken.
    var nextSuffix: [String: Int] = [:]
    func visit(_ blocks: [MarkdownBlock]) {
      for block in blocks {
        switch block {
        case .heading(_, let inlines, let line):
          let slug = HTML.slug(inlines.plainText)
          var anchor = slug
          var n = nextSuffix[slug] ?? 2
          while used.contains(anchor) {
            anchor = slug + "-\(n)"
            n += 1
          }
          if anchor != slug { nextSuffix[slug] = n }
          used.insert(anchor)
          headings[line] = anchor
        case .blockQuote(let children): visit(children)
        case .list(_, _, _, let items): items.forEach(visit)
        default: break
        }
      }
    }
    let title = chapter.leadingTitleHeading == nil ? 0 : 1
    visit(Array(chapter.blocks.dropFirst(title)))
    guard hasReferences else { return }
    var anchor = "references"
    var n = 2
    while used.contains(anchor) {
      anchor = "references-\(n)"
      n += 1
    }
    references = anchor
  }
}

extension Chapter {
  /// The line of a first block `# Title` that repeats the front matter's title: the page header
  /// shows the title, so it is not drawn twice.
  public var leadingTitleHeading: Int? {
    guard case .heading(1, let inlines, let line)? = blocks.first, inlines.plainText == frontMatter.title else {
      return nil
    }
    return line
  }

  /// The `id` attributes of the chapter's raw HTML, entities decoded, as a browser reads them.
  var rawHTMLIDs: Set<String> {
    var ids: Set<String> = []
    walkRawHTMLAttributes { attribute, _ in
      if attribute.name == "id", let value = attribute.value { ids.insert(LinkChecker.decodeEntities(value)) }
    }
    return ids
  }
}
