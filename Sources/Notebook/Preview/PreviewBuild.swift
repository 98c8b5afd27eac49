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
  private var lastResumptions: [String: Resumption] = [:]

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
  /// waited for: its stale run alone is cancelled and its new version starts at once, while the
  /// other chapters' runs go on.
  @discardableResult
  public func refresh(pollInterval: TimeInterval = 0.2) -> [String] {
    var paths = Engine.defaultChapters(root: engine.root)
    var rebuilt: [String] = []
    var removed: Set<String> = []
    while true {
      paths = Engine.defaultChapters(root: engine.root)
      let latest = Dictionary(uniqueKeysWithValues: paths.map { ($0, stamp(of: $0)) })
      let changed = paths.filter { stamps[$0] != latest[$0] }
      removed.formUnion(Set(stamps.keys).subtracting(paths))
      for path in removed { stamps[path] = nil }
      guard !changed.isEmpty else { break }
      // A chapter whose run was cancelled keeps its old stamp, so the next pass runs it again.
      for outcome in evaluateWatching(changed, stamps: latest, pollInterval: pollInterval) {
        outcomes[outcome.path] = outcome
        stamps[outcome.path] = latest[outcome.path]
        if !rebuilt.contains(outcome.path) { rebuilt.append(outcome.path) }
      }
    }
    for path in removed { outcomes[path] = nil }
    guard !rebuilt.isEmpty || !removed.isEmpty else { return [] }

    var ordered = paths.compactMap { outcomes[$0] }
    var files: [String: [UInt8]]
    do {
      files = try engine.site(for: &ordered, renderer: renderer, assets: assets, course: course, showErrors: true)
    } catch {
      // Node failed: say so on every page rather than showing formulas as raw TeX silently.
      for index in ordered.indices {
        ordered[index].diagnostics.append(
          Diagnostic(at: SourceLocation(file: ordered[index].path, line: 1), "could not render math or code: \(error)"))
      }
      files = engine.pagesWithoutTypesetting(ordered, course: course)
      files.merge(assets) { page, _ in page }
    }
    lock.lock()
    lastDiagnostics = ordered.flatMap(\.diagnostics)
    lastResumptions = Dictionary(
      ordered.compactMap { outcome in outcome.result?.resumed.map { (outcome.path, $0) } },
      uniquingKeysWith: { a, _ in a })
    currentFiles = files
    currentVersion += 1
    lock.unlock()
    return rebuilt
  }

  /// Runs `paths` while watching their files, and returns the outcomes of the runs that were
  /// not cancelled: a chapter saved again meanwhile has its run stopped at once.
  private func evaluateWatching(_ paths: [String], stamps: [String: Date], pollInterval: TimeInterval)
    -> [ChapterOutcome]
  {
    let cancellations = Dictionary(uniqueKeysWithValues: paths.map { ($0, RunCancellation()) })
    let finished = DispatchSemaphore(value: 0)
    let box = OutcomeBox()
    let engine = self.engine
    Thread.detachNewThread {
      box.outcomes = engine.evaluate(paths, cancellations: cancellations)
      finished.signal()
    }
    while finished.wait(timeout: .now() + pollInterval) == .timedOut {
      for path in paths where stamp(of: path) != stamps[path] && !cancellations[path]!.isCancelled {
        cancellations[path]!.cancel()
      }
    }
    return box.outcomes.filter { cancellations[$0.path]?.isCancelled != true }
  }

  private func stamp(of path: String) -> Date {
    (try? FileManager.default.attributesOfItem(atPath: engine.root + "/" + path)[.modificationDate] as? Date)
      ?? .distantPast
  }

  /// Where each chapter's last run resumed from, if it did (for the terminal).
  public func resumption(of path: String) -> Resumption? {
    lock.lock()
    defer { lock.unlock() }
    return lastResumptions[path]
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
