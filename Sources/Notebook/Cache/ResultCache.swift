import Foundation
import NotebookEvents

/// Chapter results on disk, keyed by everything that can change what a chapter prints:
/// its code (not its prose), the built libraries, the compiler, the numeric environment,
/// the seed and timeout, and the data files in `chapters/data`.
///
/// Results are stored before checking, so editing an expected output or prose never reruns
/// code. Lines are stored with the code units' start lines and shifted on a hit, so a prose
/// edit that moves code down still reports checks at the right lines. The key names the
/// chapter's file but not its folder, so a copy of the chapter elsewhere in the course (the
/// student edition's `student/chapters/`) finds the result, moved to its own path.
public struct ResultCache: Sendable {
  public var directory: String
  /// The part of the key shared by all chapters of a build.
  public var environmentDigest: String

  static let formatVersion = "notebook-cache-4"

  public init(directory: String, toolchain: Toolchain, dataDirectory: String?) {
    self.directory = directory
    let hasher = SHA256Digest()
    hasher.update(Data(Self.formatVersion.utf8))
    hasher.update(Data(Self.compilerVersion(toolchain.swiftc, cacheDirectory: directory).utf8))
    for file in toolchain.libraryFiles {
      hasher.update(Data(file.utf8))
      hasher.update((try? Data(contentsOf: URL(fileURLWithPath: file), options: .mappedIfSafe)) ?? Data())
    }
    for (key, value) in Executor.numericEnvironment().sorted(by: { $0.key < $1.key }) {
      hasher.update(Data("\(key)=\(value)\n".utf8))
    }
    // Every data folder a chapter can read: path, size and modification time of each file.
    let environment = ProcessInfo.processInfo.environment
    let folders =
      [dataDirectory, environment["LATENT_DATA_DIR"], environment["LATENT_FASHION_MNIST_DIR"] ?? Self.fashionMNIST]
      .compactMap { $0 }
    for folder in folders {
      hasher.update("data \(folder)\n")
      for entry in Self.fileStamps(under: folder) { hasher.update(entry + "\n") }
    }
    environmentDigest = hasher.hexDigest()
  }

  /// The key of one chapter's results.
  public func key(for chapter: Chapter, program: ChapterProgram) -> String {
    let hasher = SHA256Digest()
    hasher.update(Data(environmentDigest.utf8))
    hasher.update(Data(program.codeIdentity.utf8))
    hasher.update(Data("seed \(chapter.frontMatter.seed) timeout \(chapter.frontMatter.timeout)".utf8))
    return hasher.hexDigest()
  }

  /// Debian's `dataset-fashion-mnist` folder, read by `FashionMNIST.load`.
  static let fashionMNIST = "/usr/share/datasets/fashion-mnist"

  /// `relative-path size mtime` for every file below `folder`, sorted; empty if it is missing.
  static func fileStamps(under folder: String) -> [String] {
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: folder) else { return [] }
    var stamps: [String] = []
    while let relative = enumerator.nextObject() as? String {
      let attributes = enumerator.fileAttributes ?? [:]
      guard attributes[.type] as? FileAttributeType != .typeDirectory else { continue }
      let size = attributes[.size] as? Int ?? 0
      let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
      stamps.append("\(relative) \(size) \(time)")
    }
    return stamps.sorted()
  }

  struct Entry: Codable {
    var units: [ChapterProgram.Unit]
    var result: ChapterResult
    /// The chapter path the result names (its copy in another folder shares the entry).
    var path: String
  }

  /// Entries are named `<page stem>.<edition>.<key>.json`.
  static func entryPrefix(_ chapter: Chapter) -> String {
    "\(chapter.stem).\(chapter.edition.rawValue)."
  }

  public func load(key: String, program: ChapterProgram, chapter: Chapter) -> ChapterResult? {
    let url = URL(fileURLWithPath: directory).appendingPathComponent(Self.entryPrefix(chapter) + key + ".json")
    guard let data = try? Data(contentsOf: url), let entry = try? JSONDecoder().decode(Entry.self, from: data),
      entry.units.count == program.units.count
    else { return nil }
    var result = entry.result
    result.cached = true
    result.moveLines(LineShift(old: entry.units, new: program.units))
    result.moveFile(from: entry.path, to: chapter.path)
    return result
  }

  /// Stores a chapter's result and drops the entries of that chapter's earlier code, so the
  /// cache holds one entry per chapter and edition.
  public func store(_ result: ChapterResult, key: String, program: ChapterProgram, chapter: Chapter) {
    let manager = FileManager.default
    try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let prefix = Self.entryPrefix(chapter)
    for name in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
      try? manager.removeItem(atPath: directory + "/" + name)
    }
    let url = URL(fileURLWithPath: directory).appendingPathComponent(prefix + key + ".json")
    guard let data = try? JSONEncoder().encode(Entry(units: program.units, result: result, path: chapter.path))
    else { return }
    try? data.write(to: url, options: .atomic)
  }

  /// `swiftc --version`, remembered in the cache folder under the compiler's path, size and
  /// modification time, so a run does not start the compiler just to ask (~50 ms).
  static func compilerVersion(_ swiftc: String, cacheDirectory: String) -> String {
    let binary = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path
    let attributes = try? FileManager.default.attributesOfItem(atPath: binary)
    let identity = [
      binary, "\(attributes?[.size] ?? 0)",
      "\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)",
    ].joined(separator: "|")
    let hasher = SHA256Digest()
    hasher.update(identity)
    let memo = URL(fileURLWithPath: cacheDirectory).appendingPathComponent("compiler-\(hasher.hexDigest()).txt")
    if let known = try? String(contentsOf: memo, encoding: .utf8), !known.isEmpty { return known }

    let process = Process()
    let pipe = Pipe()
    process.executableURL = URL(fileURLWithPath: swiftc)
    process.arguments = ["--version"]
    process.standardOutput = pipe
    process.standardError = pipe
    guard (try? process.run()) != nil else { return swiftc }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let version = String(decoding: data, as: UTF8.self)
    try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
    try? version.write(to: memo, atomically: true, encoding: .utf8)
    return version
  }

}

/// Maps a line inside an old code unit to the same line of the unit's new position.
struct LineShift {
  let pairs: [(old: ChapterProgram.Unit, new: ChapterProgram.Unit)]

  init(old: [ChapterProgram.Unit], new: [ChapterProgram.Unit]) {
    pairs = Array(zip(old, new))
  }

  func callAsFunction(_ line: Int) -> Int {
    for (old, new) in pairs where old.line <= line && line < old.line + old.lineCount {
      return line - old.line + new.line
    }
    return line
  }
}

extension ChapterResult {
  /// Moves every Markdown line a stored result names (checks, figures, diagnostics) to where
  /// its code now stands, so a result reused after an edit above it reports the right lines.
  mutating func moveLines(_ shift: LineShift) {
    for i in checks.indices { checks[i].location.line = shift(checks[i].location.line) }
    for i in blocks.indices {
      for j in blocks[i].figures.indices { blocks[i].figures[j].line = blocks[i].figures[j].line.map { shift($0) } }
    }
    for i in diagnostics.indices { diagnostics[i].location.line = shift(diagnostics[i].location.line) }
  }

  /// Names the chapter at `new` wherever a stored result named it at `old` (a copy of the
  /// chapter in another folder): the locations, and the compiler's and the runtime's text in
  /// diagnostics and block errors. What the chapter itself printed is left as it was.
  mutating func moveFile(from old: String, to new: String) {
    guard old != new else { return }
    func move(_ text: String) -> String { text.replacingOccurrences(of: old, with: new) }
    for i in checks.indices where checks[i].location.file == old { checks[i].location.file = new }
    for i in diagnostics.indices {
      if diagnostics[i].location.file == old { diagnostics[i].location.file = new }
      diagnostics[i].message = move(diagnostics[i].message)
      diagnostics[i].details = diagnostics[i].details.map(move)
    }
    for i in blocks.indices { blocks[i].error = blocks[i].error.map(move) }
  }
}
