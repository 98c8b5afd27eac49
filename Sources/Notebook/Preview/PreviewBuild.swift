import Foundation

/// The live preview's site, kept in memory and rebuilt when a chapter file changes.
///
/// Unlike `notebook build`, a failing chapter still gets a page, with its errors at their
/// lines, so a student sees what broke instead of a stale page. Only the chapters whose files
/// changed are run again; the others keep their outcomes (and the cache makes even a full
/// rebuild cheap).
public final class PreviewBuild: @unchecked Sendable {
  public let engine: Engine
  public let course: String
  private let renderer: NodeRenderer
  private let assets: [String: [UInt8]]
  private let lock = NSLock()
  private var outcomes: [String: ChapterOutcome] = [:]
  private var stamps: [String: Date] = [:]
  private var currentFiles: [String: [UInt8]] = [:]
  private var currentVersion = 0

  public init(engine: Engine, course: String) throws {
    self.engine = engine
    self.course = course
    renderer = try NodeRenderer.locate()
    assets = try SiteAssets.files(katexDist: renderer.katexDist)
  }

  /// The site's files by path, and a number that grows with every rebuild.
  public var snapshot: (files: [String: [UInt8]], version: Int) {
    lock.lock()
    defer { lock.unlock() }
    return (currentFiles, currentVersion)
  }

  public var version: Int { snapshot.version }

  /// Rebuilds the chapters whose files were added or changed since the last call (all of them
  /// the first time); returns the paths it rebuilt.
  @discardableResult
  public func refresh() -> [String] {
    let paths = Engine.defaultChapters(root: engine.root)
    var changed: [String] = []
    var latest: [String: Date] = [:]
    for path in paths {
      let stamp =
        (try? FileManager.default.attributesOfItem(atPath: engine.root + "/" + path)[.modificationDate] as? Date)
        ?? .distantPast
      latest[path] = stamp
      if stamps[path] != stamp { changed.append(path) }
    }
    let removed = Set(stamps.keys).subtracting(paths)
    guard !changed.isEmpty || !removed.isEmpty else { return [] }
    for outcome in engine.evaluate(changed) { outcomes[outcome.path] = outcome }
    for path in removed { outcomes[path] = nil }
    stamps = latest

    var ordered = paths.compactMap { outcomes[$0] }
    let prerendered: [NodeRenderer.Snippet: NodeRenderer.Rendering]
    do {
      prerendered = try engine.prerender(&ordered, with: renderer)
    } catch {
      prerendered = [:]
    }
    var files = engine.renderSite(ordered, prerendered: prerendered, course: course, showErrors: true)
    files.merge(assets) { page, _ in page }
    lock.lock()
    currentFiles = files
    currentVersion += 1
    lock.unlock()
    return changed
  }

  /// The diagnostics of the last build, for the terminal.
  public var diagnostics: [Diagnostic] {
    outcomes.values.sorted { $0.path < $1.path }.flatMap(\.diagnostics)
  }
}
