import Foundation

/// Writes a complete site into a fresh sibling folder, then swaps it into place, so a reader
/// (or a failed build) never sees a half-written `site/`.
public enum SiteWriter {
  /// Writes `files` (site-relative path → bytes) plus the assets, then replaces `destination`.
  public static func write(files: [String: [UInt8]], katexDist: String, to destination: String) throws {
    let manager = FileManager.default
    let target = URL(fileURLWithPath: destination).standardizedFileURL
    let parent = target.deletingLastPathComponent()
    let pid = ProcessInfo.processInfo.processIdentifier
    let staging = parent.appendingPathComponent(".\(target.lastPathComponent).new-\(pid)")
    let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(pid)")
    try? manager.removeItem(at: staging)
    try manager.createDirectory(at: staging, withIntermediateDirectories: true)
    do {
      for (path, bytes) in files {
        let url = staging.appendingPathComponent(path)
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
      }
      let assets = staging.appendingPathComponent("assets")
      try manager.createDirectory(at: assets.appendingPathComponent("katex"), withIntermediateDirectories: true)
      try Data(Stylesheet.css.utf8).write(to: assets.appendingPathComponent("notebook.css"))
      try copyResolvingLinks(from: katexDist + "/katex.min.css", to: assets.appendingPathComponent("katex/katex.min.css"))
      try copyResolvingLinks(from: katexDist + "/fonts", to: assets.appendingPathComponent("katex/fonts"))
    } catch {
      try? manager.removeItem(at: staging)
      throw error
    }
    // Swap: the old site stays whole until the new one is complete.
    if manager.fileExists(atPath: target.path) {
      try manager.moveItem(at: target, to: retired)
    }
    try manager.moveItem(at: staging, to: target)
    try? manager.removeItem(at: retired)
  }

  /// Copies a file or a folder's files as real files: Debian's KaTeX reaches its CSS and fonts
  /// through symbolic links that would dangle inside the site.
  static func copyResolvingLinks(from source: String, to destination: URL) throws {
    let manager = FileManager.default
    let resolved = URL(fileURLWithPath: source).resolvingSymlinksInPath()
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else {
      throw ToolchainError("missing \(source) (\(resolved.path))")
    }
    if isDirectory.boolValue {
      try manager.createDirectory(at: destination, withIntermediateDirectories: true)
      for name in try manager.contentsOfDirectory(atPath: resolved.path).sorted() {
        try copyResolvingLinks(from: resolved.path + "/" + name, to: destination.appendingPathComponent(name))
      }
    } else {
      try Data(contentsOf: resolved).write(to: destination)
    }
  }
}
