import Foundation

/// Writes a complete site into a fresh sibling folder, then swaps it into place, so a reader
/// (or a failed build) never sees a half-written `site/`.
public enum SiteWriter {
  /// Writes `files` (site-relative path → bytes), then replaces `destination` with them.
  public static func write(files: [String: [UInt8]], to destination: String) throws {
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
}
