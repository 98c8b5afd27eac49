import Foundation

/// One section of a chapter as the search sees it: the resolved text of its prose (inline values
/// as the page shows them, math as its TeX words) and the identifiers of its code.
///
/// A node of the page: the renderer makes one per section as it walks the chapter, and the site
/// indexes them all.
public struct SearchSection: Codable, Equatable, Sendable {
  /// `04-elbo.html#the-bound`, or the page alone for the text before the first section.
  public var id: String
  public var chapter: String
  public var section: String
  public var text: String
  /// Identifiers in the section's code, each once.
  public var code: String
}

/// The course's search index, built at build time with Debian's `python3-lunr` (a port of
/// lunr.js that writes indexes lunr.js loads) and searched in the page by Debian's `libjs-lunr`.
///
/// The index is a plain script (`assets/search-index.js`, assigning `window.notebookSearch`),
/// not JSON to fetch: browsers refuse `fetch()` of a local file, so a site opened from the file
/// system could not search otherwise (mdBook does the same).
public enum SearchIndex {
  public static let path = "assets/search-index.js"
  public static let lunrPath = "assets/lunr.min.js"
  /// Debian's lunr.js (`libjs-lunr`).
  public static let lunrSource = "/usr/share/javascript/lunr/lunr.min.js"
  /// Characters of a section's text kept for result snippets.
  static let snippetCharacters = 600

  static let python = "/usr/bin/python3"

  /// Reads sections as JSON on stdin; writes {"index": lunr's serialized index, "docs": [[id,
  /// chapter, section, text], ...]} on stdout. The index names a section by its position in
  /// `docs`: its postings repeat the name once per word, so a page#anchor there would triple
  /// the index's size.
  static let script = """
    import json, re, sys
    try:
        from lunr import lunr
    except ImportError:
        sys.stderr.write("python3-lunr is not installed: install Debian's python3-lunr (run `make deps`)\\n")
        sys.exit(3)
    sections = json.load(sys.stdin)
    # lunr.js splits on white space and hyphens and trims punctuation when it searches; python3-lunr
    # keeps "(0.21" whole, so words are cut out here, and only those with a letter kept.
    word = re.compile(r"\\w*[^\\W\\d_]\\w*")
    documents = [dict(ref=str(n), section=" ".join(word.findall(s["section"])), text=" ".join(word.findall(s["text"])),
                      code=s["code"]) for n, s in enumerate(sections)]
    # A site without pages (every chapter failed, shown by the preview) has nothing to index.
    index = lunr(ref="ref", fields=[dict(field_name="section", boost=4), "text", dict(field_name="code", boost=2)],
                 documents=documents) if documents else None
    docs = [[s["id"], s["chapter"], s["section"], s["text"][:\(snippetCharacters)]] for s in sections]
    json.dump({"index": index.serialize() if index else None, "docs": docs}, sys.stdout, separators=(",", ":"), ensure_ascii=False)
    """

  /// The index script and lunr.js, by site path.
  public static func files(_ sections: [SearchSection]) throws -> [String: [UInt8]] {
    guard FileManager.default.isExecutableFile(atPath: python) else {
      throw ToolchainError("\(python) is missing: install Debian's python3 and python3-lunr (run `make deps`)")
    }
    guard let lunrScript = FileManager.default.contents(atPath: lunrSource) else {
      throw ToolchainError("\(lunrSource) is missing: install Debian's libjs-lunr (run `make deps`)")
    }
    let run = try Filter.run(python, ["-c", script], input: try JSONEncoder().encode(sections))
    let (data, errorText) = (run.stdout, run.stderr)
    guard run.status == 0, !data.isEmpty else {
      throw ToolchainError("the search index could not be built: \(errorText)")
    }
    return [
      path: Array("window.notebookSearch = ".utf8) + Array(data) + Array(";\n".utf8),
      lunrPath: Array(lunrScript),
    ]
  }

  /// Words of TeX as a reader would type them: `\mathrm{KL}(q \| p)` is "mathrm KL q p".
  static func texWords(_ tex: String) -> String {
    words(in: tex).joined(separator: " ")
  }

  /// Identifiers in code, each once, in order of first use.
  static func identifiers(_ code: String) -> [String] {
    var seen: Set<String> = []
    return words(in: code).filter { word in
      guard let first = word.unicodeScalars.first, !CharacterSet.decimalDigits.contains(first) else { return false }
      return seen.insert(word).inserted
    }
  }

  /// Runs of letters, digits and underscores.
  private static func words(in text: String) -> [String] {
    var found: [String] = []
    var current = ""
    for character in text {
      if character.isLetter || character.isNumber || character == "_" {
        current.append(character)
      } else if !current.isEmpty {
        found.append(current)
        current = ""
      }
    }
    if !current.isEmpty { found.append(current) }
    return found
  }
}
