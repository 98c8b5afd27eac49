import Foundation
import NotebookEvents

/// Renders math and code to HTML at build time in one node process: TeX with Debian's KaTeX
/// (package `katex`), Swift with Debian's highlight.js (package `node-highlight.js`), so pages
/// need no script to show either, and a LaTeX error is a build error.
public struct NodeRenderer: Sendable {
  /// A piece of TeX or code to turn into HTML.
  public struct Snippet: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case math, code }
    public var kind: Kind
    public var text: String
    /// Display math (`$$`) rather than inline.
    public var display: Bool
    /// The code's language, e.g. `swift`.
    public var language: String

    public static func math(_ tex: String, display: Bool) -> Snippet {
      Snippet(kind: .math, text: tex, display: display, language: "")
    }

    public static func code(_ text: String, language: String) -> Snippet {
      Snippet(kind: .code, text: text, display: false, language: language)
    }
  }

  /// A snippet typeset: its HTML, and for math whether a browser may break a line inside it
  /// (`mayBreakInside`), recorded here so that the writer never reads KaTeX's markup; or the
  /// error KaTeX gave.
  public enum Rendering: Equatable, Sendable, Codable {
    case html(String, breaksInside: Bool = false)
    case error(String)
  }

  /// The folder of the KaTeX package (holding `katex.js` and `dist/`).
  public var katexDirectory: String
  /// The folder of highlight.js, or nil when it is not installed (code is then shown plain).
  public var highlightDirectory: String?
  public var node: String
  /// Shrinks each formula's markup; nil leaves KaTeX's output as it is.
  public var mathCompactor: MathMarkupCompactor?
  /// What decides a rendering besides the snippet: the versions of KaTeX and highlight.js, the
  /// script that drives them, and the stylesheets the compactor reads (or that there is none).
  /// The typeset cache keys snippets by it, so new packages render everything afresh.
  public var identity = ""

  public static let katexSearchPaths = ["/usr/share/nodejs/katex", "/usr/lib/nodejs/katex"]
  public static let highlightSearchPaths = ["/usr/share/nodejs/highlight.js", "/usr/lib/nodejs/highlight.js"]

  /// Finds node, KaTeX and highlight.js, or explains which Debian packages to install.
  public static func locate() throws -> NodeRenderer {
    let environment = ProcessInfo.processInfo.environment
    let manager = FileManager.default
    let katexCandidates = (environment["NOTEBOOK_KATEX"].map { [$0] } ?? []) + katexSearchPaths
    guard let katex = katexCandidates.first(where: { manager.fileExists(atPath: $0 + "/dist/katex.min.css") })
    else {
      throw ToolchainError("KaTeX is not installed: install Debian's `katex` package (run `make deps`)")
    }
    guard let node = Toolchain.which("node") ?? Toolchain.which("nodejs") else {
      throw ToolchainError("node is not installed: install Debian's `nodejs` (run `make deps`)")
    }
    let highlight = highlightSearchPaths.first { manager.fileExists(atPath: $0 + "/lib/index.js") }
    var renderer = NodeRenderer(katexDirectory: katex, highlightDirectory: highlight, node: node)
    let identity = SHA256Digest()
    identity.update(Data("typeset \(Self.markupVersion)".utf8))
    for package in [katex, highlight].compactMap({ $0 }) {
      identity.update(Data(((try? String(contentsOfFile: package + "/package.json", encoding: .utf8)) ?? "").utf8))
    }
    identity.update(Data(script.utf8))
    // NOTEBOOK_MATH_MARKUP=full keeps KaTeX's markup whole, to compare against.
    if environment["NOTEBOOK_MATH_MARKUP"] != "full" {
      let katexStylesheet = try String(contentsOfFile: renderer.katexDist + "/katex.min.css", encoding: .utf8)
      renderer.mathCompactor = MathMarkupCompactor(stylesheets: [katexStylesheet, Stylesheet.css])
      identity.update(Data((katexStylesheet + Stylesheet.css).utf8))
    } else {
      identity.update(Data("full markup".utf8))
    }
    renderer.identity = identity.hexDigest()
    return renderer
  }

  /// The version of what this project does to a rendering (`MathMarkupCompactor`,
  /// `mayBreakInside`), part of `identity`: bump it with any change to either, so the typeset
  /// cache renders everything afresh.
  static let markupVersion = 1

  /// Whether a browser may break a line inside this inline formula: KaTeX allows breaks only
  /// between its top-level `base` boxes (one per run between relations and binary operators),
  /// in its own markup or the compacted one.
  public static func mayBreakInside(mathMarkup html: String) -> Bool {
    let boxes = ["class=base>", "class=\"base\""].map { html.components(separatedBy: $0).count - 1 }
    return boxes.reduce(0, +) > 1
  }

  /// KaTeX's stylesheet and fonts, to be copied into the site.
  public var katexDist: String { katexDirectory + "/dist" }

  private static let script = """
    // Libraries may print notices on load; keep stdout for the JSON reply.
    console.log = console.warn = console.info = () => {};
    const katex = require(process.argv[1]);
    const hljs = process.argv[2] ? require(process.argv[2]) : null;
    let input = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', d => input += d);
    process.stdin.on('end', () => {
      const out = JSON.parse(input).map(s => {
        try {
          if (s.kind === 'math') {
            return { html: katex.renderToString(s.text, { displayMode: s.display, throwOnError: true,
              strict: 'ignore', output: 'htmlAndMathml', trust: false }) };
          }
          if (hljs && hljs.getLanguage(s.language)) {
            return { html: hljs.highlight(s.language, s.text, true).value };
          }
          return { error: 'no grammar' };
        } catch (e) {
          return { error: String(e.message || e) };
        }
      });
      process.stdout.write(JSON.stringify(out));
    });
    """

  public func render(_ snippets: [Snippet]) throws -> [Snippet: Rendering] {
    guard !snippets.isEmpty else { return [:] }
    let unique = Array(Set(snippets))
    let run = try Filter.run(
      node, ["-e", Self.script, katexDirectory, highlightDirectory ?? ""], input: try JSONEncoder().encode(unique))
    let (data, errorText) = (run.stdout, run.stderr)
    struct Reply: Decodable {
      var html: String?
      var error: String?
    }
    guard run.status == 0, let replies = try? JSONDecoder().decode([Reply].self, from: data),
      replies.count == unique.count
    else {
      throw ToolchainError("KaTeX or highlight.js failed under node: \(errorText)")
    }
    var result: [Snippet: Rendering] = [:]
    for (snippet, reply) in zip(unique, replies) {
      guard var html = reply.html else {
        result[snippet] = .error(reply.error ?? "unknown error")
        continue
      }
      guard snippet.kind == .math else {
        result[snippet] = .html(html)
        continue
      }
      if let mathCompactor { html = mathCompactor.compact(html) }
      result[snippet] = .html(html, breaksInside: Self.mayBreakInside(mathMarkup: html))
    }
    return result
  }
}
