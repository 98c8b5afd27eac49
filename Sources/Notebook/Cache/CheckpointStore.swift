import Foundation
import NotebookEvents

/// Checkpoints on disk: the top-level values of a chapter program after a heavy block, with
/// what the blocks up to it printed, displayed and checked, so that an edit after that block
/// reruns only from there (`ChapterProgram(chapter:outline:resume:)`).
///
/// A checkpoint is keyed like the result cache, but on the code up to its block only: the
/// built library, compiler, numeric environment, data files, seed and timeout, and the code of
/// every block and inline expression before it. Any change there makes a new key, so a stale
/// checkpoint is never found. Entries of code the chapter no longer has are pruned after each
/// run, and the whole store is kept under a size limit (`NOTEBOOK_CHECKPOINT_LIMIT_MIB`, 4096).
public struct CheckpointStore: Sendable {
  public var directory: String
  public var blobDirectory: String { directory + "/blobs" }
  public var limitBytes: Int

  public init(directory: String) {
    self.directory = directory
    let mebibytes = ProcessInfo.processInfo.environment["NOTEBOOK_CHECKPOINT_LIMIT_MIB"].flatMap(Int.init) ?? 4096
    limitBytes = max(0, mebibytes) << 20
  }

  static let formatVersion = "notebook-checkpoint-3"

  /// What a resumed run reuses: the blocks' results up to the checkpoint.
  struct Prefix: Codable {
    var position: Int
    var cell: Int
    var units: [ChapterProgram.Unit]
    var result: ChapterResult
    var elapsedSeconds: Double
    /// The chapter path the result names (a copy in another folder resumes from it too).
    var path: String
  }

  /// A checkpoint found for the current code.
  public struct Entry: Sendable {
    public var folder: String
    public var manifest: CheckpointManifest
    var prefix: Prefix
    public var statePath: String { folder + "/state" }
    public var position: Int { prefix.position }
  }

  func key(position: Int, program: ChapterProgram, chapter: Chapter, environmentDigest: String) -> String {
    let hasher = SHA256Digest()
    hasher.update(Self.formatVersion + "\n" + environmentDigest + "\n")
    hasher.update(program.identityPrefixes[position])
    hasher.update("\nseed \(chapter.frontMatter.seed) timeout \(chapter.frontMatter.timeout)")
    return hasher.hexDigest()
  }

  /// Entries are named `<page stem>.<key>`, shared by both editions: the code before the first
  /// exercise, and so its checkpoints, is the same in each (and by the chapter's copy in the
  /// student edition's folder: the key names the chapter's file, not its folder).
  static func entryPrefix(_ chapter: Chapter) -> String { "\(chapter.stem)." }

  /// The latest checkpoint valid for this code, after a block before `limit` (a position).
  /// Unreadable or corrupted checkpoints met on the way are deleted and described in `problems`.
  func latest(for chapter: Chapter, program: ChapterProgram, environmentDigest: String) -> (
    entry: Entry?, problems: [String]
  ) {
    var problems: [String] = []
    for position in program.identityPrefixes.indices.reversed() {
      let name =
        Self.entryPrefix(chapter)
        + key(
          position: position, program: program, chapter: chapter, environmentDigest: environmentDigest)
      let folder = directory + "/" + name
      if FileManager.default.fileExists(atPath: folder + "/" + Self.unresumableMarker) { continue }
      guard let manifestData = FileManager.default.contents(atPath: folder + "/manifest.json"),
        let prefixData = FileManager.default.contents(atPath: folder + "/prefix.json")
      else { continue }
      guard let manifest = try? JSONDecoder().decode(CheckpointManifest.self, from: manifestData),
        let prefix = try? JSONDecoder().decode(Prefix.self, from: prefixData), prefix.position == position,
        let state = FileManager.default.contents(atPath: folder + "/state"), Self.digest(state) == manifest.stateDigest
      else {
        // Unreadable or corrupted: drop it, so the next run saves a good one.
        try? FileManager.default.removeItem(atPath: folder)
        let line = chapter.cells.filter(\.runs)[position].fenceLine
        problems.append("ignored a corrupted checkpoint after line \(line)")
        continue
      }
      return (Entry(folder: folder, manifest: manifest, prefix: prefix), problems)
    }
    return (nil, problems)
  }

  static let unresumableMarker = "unresumable"

  /// Remembers that the program resumed from `entry` did not compile, so it is not tried again
  /// (and not saved again) for this code.
  func markUnresumable(_ entry: Entry) {
    _ = FileManager.default.createFile(atPath: entry.folder + "/" + Self.unresumableMarker, contents: Data())
    try? FileManager.default.removeItem(atPath: entry.statePath)
  }

  /// The stored prefix's result with its lines moved to where the code is now.
  func prefixResult(_ entry: Entry, program: ChapterProgram, chapter: Chapter) -> ChapterResult {
    // Counted for this chapter, which may be the other edition (more or fewer blocks after it).
    let saved = entry.prefix.result
    var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
    for block in saved.blocks where block.cell <= entry.prefix.cell && block.cell < result.blocks.count {
      result.blocks[block.cell] = block
    }
    for (index, value) in saved.inlineValues.enumerated() where index < result.inlineValues.count {
      result.inlineValues[index] = value
    }
    result.checks = saved.checks
    result.diagnostics = saved.diagnostics
    result.reproducible = true
    result.moveLines(LineShift(old: entry.prefix.units, new: program.units))
    result.moveFile(from: entry.prefix.path, to: chapter.path)
    return result
  }

  /// Keeps the checkpoints a run saved in `staging`, each with the part of `result` its blocks
  /// made; `resumedFrom` is the checkpoint the run itself started from.
  func keep(
    _ manifests: [(manifest: CheckpointManifest, statePath: String)], result: ChapterResult,
    program: ChapterProgram, chapter: Chapter, environmentDigest: String, resumedFrom: Entry?
  ) {
    let manager = FileManager.default
    try? manager.createDirectory(atPath: blobDirectory, withIntermediateDirectories: true)
    let runnable = chapter.cells.filter(\.runs)
    for (manifest, statePath) in manifests {
      guard let position = runnable.firstIndex(where: { $0.index == manifest.cell }),
        program.identityPrefixes.indices.contains(position)
      else { continue }
      let name =
        Self.entryPrefix(chapter)
        + key(
          position: position, program: program, chapter: chapter, environmentDigest: environmentDigest)
      let folder = directory + "/" + name
      if manager.fileExists(atPath: folder + "/" + Self.unresumableMarker) { continue }
      let staging = folder + ".partial-\(getpid())"
      try? manager.removeItem(atPath: staging)
      do {
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try manager.moveItem(atPath: statePath, toPath: staging + "/state")
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: staging + "/manifest.json"))
        let prefix = Prefix(
          position: position, cell: manifest.cell, units: program.units,
          result: Self.prefixPart(of: result, through: position, program: program, chapter: chapter),
          elapsedSeconds: manifest.elapsedSeconds + (resumedFrom?.prefix.elapsedSeconds ?? 0), path: chapter.path)
        try JSONEncoder().encode(prefix).write(to: URL(fileURLWithPath: staging + "/prefix.json"))
        try? manager.removeItem(atPath: folder)
        try manager.moveItem(atPath: staging, toPath: folder)
      } catch {
        try? manager.removeItem(atPath: staging)
      }
    }
  }

  /// What blocks `0...position` made: their output, figures and checks, the inline values
  /// before the checkpoint, and the compiler's warnings in their lines.
  static func prefixPart(of result: ChapterResult, through position: Int, program: ChapterProgram, chapter: Chapter)
    -> ChapterResult
  {
    let runnable = chapter.cells.filter(\.runs)
    let cell = runnable[position].index
    var prefix = ChapterResult(cellCount: result.blocks.count, expressionCount: result.inlineValues.count)
    for block in result.blocks where block.cell <= cell { prefix.blocks[block.cell] = block }
    prefix.checks = result.checks.filter { ($0.cell ?? -1) <= cell }
    let expressions = Set(
      chapter.expressions.filter { $0.afterCellCount <= position + 1 }.map(\.index))
    for index in expressions where index < prefix.inlineValues.count {
      prefix.inlineValues[index] = result.inlineValues[index]
    }
    let lines = program.units.filter { unit in
      unit.kind == .cell ? unit.index <= cell : expressions.contains(unit.index)
    }
    prefix.diagnostics = result.diagnostics.filter { diagnostic in
      diagnostic.severity != .error
        && lines.contains { $0.line <= diagnostic.location.line && diagnostic.location.line < $0.line + $0.lineCount }
    }
    prefix.reproducible = true
    return prefix
  }

  /// Drops this chapter's checkpoints of code it no longer has, then blobs no checkpoint uses,
  /// then whole chapters' checkpoints, least recently saved first, while over the size limit.
  func prune(for chapter: Chapter, program: ChapterProgram, environmentDigest: String) {
    let manager = FileManager.default
    let lock = open(directory + "/.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard lock >= 0 else { return }
    defer { close(lock) }
    flock(lock, LOCK_EX)
    let current = Set(
      program.identityPrefixes.indices.map {
        Self.entryPrefix(chapter)
          + key(position: $0, program: program, chapter: chapter, environmentDigest: environmentDigest)
      })
    var names = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
    for name in names where name.hasPrefix(Self.entryPrefix(chapter)) && !current.contains(name) {
      try? manager.removeItem(atPath: directory + "/" + name)
    }
    names = ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).filter {
      $0 != "blobs" && !$0.hasPrefix(".") && !$0.contains(".partial-")
    }
    func modified(_ path: String) -> Date {
      ((try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }
    var entries = names.map { name -> (name: String, date: Date, blobs: [String], bytes: Int) in
      let folder = directory + "/" + name
      let manifest = manager.contents(atPath: folder + "/manifest.json").flatMap {
        try? JSONDecoder().decode(CheckpointManifest.self, from: $0)
      }
      let bytes = ((try? manager.attributesOfItem(atPath: folder + "/state"))?[.size] as? Int ?? 0)
      return (name, modified(folder), manifest?.blobs ?? [], bytes)
    }.sorted { $0.date < $1.date }
    var blobSizes: [String: Int] = [:]
    let blobNames = (try? manager.contentsOfDirectory(atPath: blobDirectory)) ?? []
    for blob in blobNames {
      let path = blobDirectory + "/" + blob
      // A blob being written right now by another chapter's run is left alone.
      if blob.contains(".partial-") {
        if Date().timeIntervalSince(modified(path)) > 3600 { try? manager.removeItem(atPath: path) }
        continue
      }
      blobSizes[blob] = (try? manager.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
    }
    func collect() {
      let used = Set(entries.flatMap(\.blobs))
      for (blob, _) in blobSizes where !used.contains(blob) {
        let path = blobDirectory + "/" + blob
        // Young unreferenced blobs may belong to a checkpoint another run is saving (a save
        // touches every blob it reuses), so only old ones go.
        if Date().timeIntervalSince(modified(path)) > 600 {
          try? manager.removeItem(atPath: path)
          blobSizes[blob] = nil
        }
      }
    }
    collect()
    func total() -> Int {
      let used = Set(entries.flatMap(\.blobs))
      return entries.reduce(0) { $0 + $1.bytes } + blobSizes.filter { used.contains($0.key) }.values.reduce(0, +)
    }
    var dropped = false
    while !entries.isEmpty && total() > limitBytes {
      try? manager.removeItem(atPath: directory + "/" + entries.removeFirst().name)
      dropped = true
    }
    if dropped { collect() }
  }

  static func digest(_ data: Data) -> String {
    let hasher = SHA256Digest()
    hasher.update(data)
    return hasher.hexDigest()
  }
}
