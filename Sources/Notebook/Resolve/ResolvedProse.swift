/// The prose as the page shows it: each text run split once into plain text, citations and
/// cross-references (each resolved to its number and anchor), so the writer needs no pattern
/// to find them.
enum ResolvedProse {
  static func blocks(_ blocks: [MarkdownBlock], numbering: Numbering) -> [MarkdownBlock] {
    blocks.map { block in
      switch block {
      case .paragraph(let inlines, let line): return .paragraph(Self.inlines(inlines, numbering), line: line)
      case .heading(let level, let inlines, let line):
        return .heading(level: level, Self.inlines(inlines, numbering), line: line)
      case .blockQuote(let children): return .blockQuote(Self.blocks(children, numbering: numbering))
      case .list(let ordered, let start, let tight, let items):
        return .list(
          ordered: ordered, start: start, tight: tight, items: items.map { Self.blocks($0, numbering: numbering) })
      case .code, .html, .thematicBreak, .cell: return block
      }
    }
  }

  /// Inlines with their text runs split; an image's alt text stays as written (it is shown as
  /// plain text).
  static func inlines(_ inlines: [Inline], _ numbering: Numbering) -> [Inline] {
    inlines.flatMap { inline -> [Inline] in
      switch inline {
      case .text(let text): return split(text, numbering)
      case .emphasis(let children): return [.emphasis(Self.inlines(children, numbering))]
      case .strong(let children): return [.strong(Self.inlines(children, numbering))]
      case .link(let destination, let title, let children):
        return [.link(destination: destination, title: title, Self.inlines(children, numbering))]
      default: return [inline]
      }
    }
  }

  /// Citations first (`Citations.split`), then cross-references in the rest (`Numbering.split`).
  static func split(_ text: String, _ numbering: Numbering) -> [Inline] {
    var parts: [Inline] = []
    for (part, citation) in Citations.split(text) {
      if citation != nil {
        parts.append(.citation(part))
        continue
      }
      for piece in Numbering.split(part) {
        if let label = piece.label {
          parts.append(.crossReference(piece.text, resolved: numbering.resolve(label)))
        } else {
          parts.append(.text(piece.text))
        }
      }
    }
    // An empty run stays a run: the writer glues punctuation to the formula before a text.
    return parts.isEmpty ? [.text(text)] : parts
  }
}
