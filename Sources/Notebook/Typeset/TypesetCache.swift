import Foundation
import NotebookEvents

/// Typeset snippets kept by content (`.notebook-cache/typeset/`), so that a build sends node only
/// the formulas and code it has not seen: `serve` and `check` stay fast however much math the
/// course holds. A snippet's file is named by the SHA-256 of the renderer's `identity` and the
/// snippet, so another KaTeX, highlight.js or stylesheet renders everything afresh; LaTeX
/// errors are kept too (KaTeX gives the same one each time).
public struct TypesetCache: Sendable {
  public var directory: String

  public init(directory: String) { self.directory = directory }

  /// The renderings of `snippets`: those kept from an earlier build, the rest from `renderer`
  /// in one node run (then kept). Throws when node cannot run.
  public func render(_ snippets: [NodeRenderer.Snippet], with renderer: NodeRenderer) throws
    -> [NodeRenderer.Snippet: NodeRenderer.Rendering]
  {
    var rendered: [NodeRenderer.Snippet: NodeRenderer.Rendering] = [:]
    var missing: [NodeRenderer.Snippet] = []
    for snippet in Set(snippets) {
      if let kept = load(snippet, identity: renderer.identity) {
        rendered[snippet] = kept
      } else {
        missing.append(snippet)
      }
    }
    for (snippet, rendering) in try renderer.render(missing) {
      rendered[snippet] = rendering
      store(rendering, for: snippet, identity: renderer.identity)
    }
    return rendered
  }

  /// The file of a snippet's rendering, in one of 256 folders by its first two hex digits.
  func file(for snippet: NodeRenderer.Snippet, identity: String) -> String {
    let hasher = SHA256Digest()
    hasher.update(Data(identity.utf8))
    hasher.update((try? JSONEncoder.sorted.encode(snippet)) ?? Data())
    let digest = hasher.hexDigest()
    return directory + "/" + digest.prefix(2) + "/" + digest.dropFirst(2) + ".json"
  }

  private struct Entry: Codable {
    var snippet: NodeRenderer.Snippet
    var rendering: NodeRenderer.Rendering
  }

  func load(_ snippet: NodeRenderer.Snippet, identity: String) -> NodeRenderer.Rendering? {
    guard !identity.isEmpty, let data = FileManager.default.contents(atPath: file(for: snippet, identity: identity)),
      let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.snippet == snippet
    else { return nil }
    return entry.rendering
  }

  /// Keeps a rendering: written to a temporary file and renamed, so a reader never sees half of
  /// one; a failure to write only costs the next build a node run.
  func store(_ rendering: NodeRenderer.Rendering, for snippet: NodeRenderer.Snippet, identity: String) {
    guard !identity.isEmpty, let data = try? JSONEncoder().encode(Entry(snippet: snippet, rendering: rendering))
    else { return }
    let path = file(for: snippet, identity: identity)
    let folder = (path as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
    guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
    if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
  }
}

extension JSONEncoder {
  /// An encoder whose output depends on the value only (keys sorted), for digests.
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }
}
