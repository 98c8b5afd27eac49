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
  private var lastDiagnostics: [Diagnostic] = []

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
  /// the first time); returns the paths it rebuilt. A chapter saved again while it runs is not
  /// waited for: its stale run is cancelled and the new version starts at once.
  @discardableResult
  public func refresh(pollInterval: TimeInterval = 0.2) -> [String] {
    var paths: [String] = []
    var changed: [String] = []
    var latest: [String: Date] = [:]
    var removed: Set<String> = []
    var evaluated: [ChapterOutcome]?
    repeat {
      paths = Engine.defaultChapters(root: engine.root)
      latest = Dictionary(uniqueKeysWithValues: paths.map { ($0, stamp(of: $0)) })
      changed = paths.filter { stamps[$0] != latest[$0] }
      removed = Set(stamps.keys).subtracting(paths)
      guard !changed.isEmpty || !removed.isEmpty else { return [] }
      evaluated = evaluateUnlessSavedAgain(changed, stamps: latest, pollInterval: pollInterval)
    } while evaluated == nil
    for outcome in evaluated ?? [] { outcomes[outcome.path] = outcome }
    for path in removed { outcomes[path] = nil }
    stamps = latest

    var ordered = paths.compactMap { outcomes[$0] }
    var files: [String: [UInt8]]
    do {
      files = try engine.site(
        for: &ordered, renderer: renderer, assets: assets, course: course, showErrors: true
      ).files
    } catch {
      // Node failed: say so on every page rather than showing formulas as raw TeX silently.
      for index in ordered.indices {
        ordered[index].diagnostics.append(
          Diagnostic(at: SourceLocation(file: ordered[index].path, line: 1), "could not render math or code: \(error)"))
      }
      files = engine.renderSite(ordered, prerendered: [:], course: course, showErrors: true)
      files.merge(assets) { page, _ in page }
    }
    lock.lock()
    lastDiagnostics = ordered.flatMap(\.diagnostics)
    currentFiles = files
    currentVersion += 1
    lock.unlock()
    return changed
  }

  /// Runs `paths` while watching their files; nil when one was saved again meanwhile (the runs
  /// are then cancelled, and the caller starts over with the newer files).
  private func evaluateUnlessSavedAgain(_ paths: [String], stamps: [String: Date], pollInterval: TimeInterval)
    -> [ChapterOutcome]?
  {
    let cancellation = RunCancellation()
    let finished = DispatchSemaphore(value: 0)
    let box = OutcomeBox()
    let engine = self.engine
    Thread.detachNewThread {
      box.outcomes = engine.evaluate(paths, cancellation: cancellation)
      finished.signal()
    }
    while finished.wait(timeout: .now() + pollInterval) == .timedOut {
      if !cancellation.isCancelled, paths.contains(where: { stamp(of: $0) != stamps[$0] }) { cancellation.cancel() }
    }
    return cancellation.isCancelled ? nil : box.outcomes
  }

  private func stamp(of path: String) -> Date {
    (try? FileManager.default.attributesOfItem(atPath: engine.root + "/" + path)[.modificationDate] as? Date)
      ?? .distantPast
  }

  /// The diagnostics of the last build (every stage, LaTeX and links included), for the terminal.
  public var diagnostics: [Diagnostic] {
    lock.lock()
    defer { lock.unlock() }
    return lastDiagnostics
  }
}

/// Outcomes handed from the evaluating thread (the semaphore orders the write before the read).
private final class OutcomeBox: @unchecked Sendable {
  var outcomes: [ChapterOutcome] = []
}
