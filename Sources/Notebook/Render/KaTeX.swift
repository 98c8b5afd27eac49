import Foundation

/// Renders TeX to HTML at build time with Debian's KaTeX (`node-katex`) run through node,
/// so pages show math without running a script, and a LaTeX error is a build error.
///
/// All formulas of a build go to one node process as JSON; each comes back as HTML or as
/// KaTeX's parse error message.
public struct KaTeX: Sendable {
  public struct Formula: Hashable, Codable, Sendable {
    public var tex: String
    public var display: Bool
  }

  /// The folder of the KaTeX package (holding `katex.js` and `dist/`).
  public var packageDirectory: String
  public var node: String

  public static let searchPaths = ["/usr/share/nodejs/katex", "/usr/lib/nodejs/katex"]

  /// Finds node and KaTeX, or explains which Debian packages to install.
  public static func locate() throws -> KaTeX {
    let environment = ProcessInfo.processInfo.environment
    let candidates = (environment["NOTEBOOK_KATEX"].map { [$0] } ?? []) + searchPaths
    guard
      let directory = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/dist/katex.min.css") })
    else {
      throw ToolchainError("KaTeX is not installed: install Debian's `katex` package (run `make deps`)")
    }
    guard let node = Toolchain.which("node") ?? Toolchain.which("nodejs") else {
      throw ToolchainError("node is not installed: install Debian's `nodejs` (run `make deps`)")
    }
    return KaTeX(packageDirectory: directory, node: node)
  }

  /// The stylesheet and fonts pages need, to be copied into the site.
  public var distDirectory: String { packageDirectory + "/dist" }

  public enum Rendering: Equatable, Sendable {
    case html(String)
    case error(String)
  }

  private static let script = """
    const katex = require(process.argv[1]);
    let input = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', d => input += d);
    process.stdin.on('end', () => {
      const out = JSON.parse(input).map(f => {
        try {
          return { html: katex.renderToString(f.tex, { displayMode: f.display, throwOnError: true, strict: 'ignore', output: 'htmlAndMathml', trust: false }) };
        } catch (e) {
          return { error: String(e.message || e) };
        }
      });
      process.stdout.write(JSON.stringify(out));
    });
    """

  public func render(_ formulas: [Formula]) throws -> [Formula: Rendering] {
    guard !formulas.isEmpty else { return [:] }
    let unique = Array(Set(formulas))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: node)
    process.arguments = ["-e", Self.script, packageDirectory]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let payload = try JSONEncoder().encode(unique)
    // Write from another thread so a large reply cannot deadlock against a full input pipe.
    let writer = Thread {
      input.fileHandleForWriting.write(payload)
      try? input.fileHandleForWriting.close()
    }
    writer.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    struct Reply: Decodable {
      var html: String?
      var error: String?
    }
    guard process.terminationStatus == 0, let replies = try? JSONDecoder().decode([Reply].self, from: data),
      replies.count == unique.count
    else {
      throw ToolchainError("KaTeX failed under node: \(errorText)")
    }
    var result: [Formula: Rendering] = [:]
    for (formula, reply) in zip(unique, replies) {
      result[formula] = reply.html.map(Rendering.html) ?? .error(reply.error ?? "unknown KaTeX error")
    }
    return result
  }
}

extension Chapter {
  /// Every formula in the chapter with its line, in document order.
  public var formulas: [(formula: KaTeX.Formula, line: Int)] {
    var found: [(KaTeX.Formula, Int)] = []
    func visit(_ inlines: [Inline]) {
      for inline in inlines {
        switch inline {
        case .math(let tex, let display, let line): found.append((KaTeX.Formula(tex: tex, display: display), line))
        case .emphasis(let c), .strong(let c), .link(_, _, let c): visit(c)
        case .image(_, _, let alt): visit(alt)
        default: break
        }
      }
    }
    func visit(_ blocks: [MarkdownBlock]) {
      for block in blocks {
        switch block {
        case .paragraph(let inlines, _), .heading(_, let inlines, _): visit(inlines)
        case .blockQuote(let children): visit(children)
        case .list(_, _, _, let items): items.forEach(visit)
        default: break
        }
      }
    }
    visit(blocks)
    return found
  }
}
