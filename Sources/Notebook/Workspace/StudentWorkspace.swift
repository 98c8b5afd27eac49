import Foundation
import NotebookEvents

/// The folder an instructor hands out and a student works in (`student/` by default):
/// `chapters/` with every solution cut out, `chapters/data/`, a README, and a record of what
/// `notebook` generated there.
///
/// A student's work is never lost: a rebuild writes a file only when it is missing or still
/// exactly as it was generated (the record holds each generated file's SHA-256), leaves every
/// other file alone and says so, and deletes nothing. `notebook` run inside the folder, or on a
/// chapter inside it, uses the student edition without being told.
public struct StudentWorkspace: Sendable {
  /// The record's file name, at the top of the workspace.
  public static let recordName = ".notebook-student.json"

  /// The workspace folder (absolute).
  public var folder: String

  public init(folder: String) {
    self.folder = URL(fileURLWithPath: folder).standardizedFileURL.path
  }

  /// What a write did with each file, by path relative to the workspace.
  public struct WriteReport: Sendable, Equatable {
    /// Written: missing before, or unchanged since it was generated and now different.
    public var written: [String] = []
    /// Already as it would be written.
    public var current: [String] = []
    /// Changed since it was generated (the student's work), left as it is.
    public var kept: [String] = []
  }

  struct Record: Codable {
    /// The release build of the library, relative to the workspace, for running chapters there.
    var library: String?
    /// SHA-256 of each generated file as it was written, by relative path.
    var generated: [String: String] = [:]
  }

  /// Whether `folder` is a student workspace.
  public static func exists(at folder: String) -> Bool {
    FileManager.default.fileExists(atPath: folder + "/" + recordName)
  }

  /// The workspace a chapter file lives in (`<workspace>/chapters/NN-x.md`), if any.
  public static func containing(chapter path: String) -> StudentWorkspace? {
    let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
      .deletingLastPathComponent().path
    return exists(at: folder) ? StudentWorkspace(folder: folder) : nil
  }

  /// The library build the workspace was made with, if the record names one that exists.
  public var libraryDirectory: String? {
    guard let record = try? readRecord(), let library = record.library else { return nil }
    let path = URL(fileURLWithPath: library, relativeTo: URL(fileURLWithPath: folder + "/")).standardizedFileURL.path
    return FileManager.default.fileExists(atPath: path + "/" + Toolchain.libraryName) ? path : nil
  }

  /// Writes the student edition of `chapters` (paths of the instructor's Markdown files), the
  /// data folder beside them, and the README, without touching what the student changed.
  public func write(chapters: [String], dataFolder: String?, libraryDirectory: String) throws -> WriteReport {
    let present = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    guard Self.exists(at: folder) || present.isEmpty else {
      throw WorkspaceError(
        "\(folder) exists but is not a student workspace made by notebook (it has no \(Self.recordName)); "
          + "move it away or choose another --out")
    }
    var record = (try? readRecord()) ?? Record()
    record.library = Self.relativePath(from: folder, to: libraryDirectory)
    var files: [(path: String, bytes: [UInt8])] = [("README.md", Array(Self.readme.utf8))]
    for path in chapters {
      let source = try String(contentsOfFile: path, encoding: .utf8)
      files.append(("chapters/" + (path as NSString).lastPathComponent, Array(StudentEdition.strip(source).utf8)))
    }
    // The bibliography the chapters cite (`Citations`), beside them.
    if let dataFolder {
      let bibliography = (dataFolder as NSString).deletingLastPathComponent + "/" + Citations.bibliographyName
      if let bytes = FileManager.default.contents(atPath: bibliography) {
        files.append(("chapters/" + Citations.bibliographyName, Array(bytes)))
      }
    }
    if let dataFolder, let names = FileManager.default.enumerator(atPath: dataFolder) {
      for case let name as String in names {
        var isFolder: ObjCBool = false
        let source = dataFolder + "/" + name
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder), !isFolder.boolValue,
          let data = FileManager.default.contents(atPath: source)
        else { continue }
        files.append(("chapters/data/" + name, Array(data)))
      }
    }
    var report = WriteReport()
    for (relative, bytes) in files {
      let target = folder + "/" + relative
      let wanted = Self.digest(bytes)
      if let existing = FileManager.default.contents(atPath: target) {
        let present = Self.digest(Array(existing))
        if present == wanted {
          record.generated[relative] = wanted
          report.current.append(relative)
          continue
        }
        guard record.generated[relative] == present else {
          report.kept.append(relative)
          continue
        }
      }
      try FileManager.default.createDirectory(
        atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: target), options: .atomic)
      record.generated[relative] = wanted
      report.written.append(relative)
    }
    try writeRecord(record)
    return report
  }

  /// The student's chapters, relative to the workspace, in name order.
  public var chapters: [String] { Engine.defaultChapters(root: folder) }

  private func readRecord() throws -> Record {
    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + Self.recordName))
    return try JSONDecoder().decode(Record.self, from: data)
  }

  private func writeRecord(_ record: Record) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try encoder.encode(record).write(to: URL(fileURLWithPath: folder + "/" + Self.recordName), options: .atomic)
  }

  static func digest(_ bytes: [UInt8]) -> String {
    let hasher = SHA256Digest()
    hasher.update(Data(bytes))
    return hasher.hexDigest()
  }

  /// `to` relative to `from` (both absolute folders), e.g. `../.build/release`.
  static func relativePath(from: String, to: String) -> String {
    let base = URL(fileURLWithPath: from).standardizedFileURL.pathComponents
    let target = URL(fileURLWithPath: to).standardizedFileURL.pathComponents
    let common = zip(base, target).prefix { $0 == $1 }.count
    let steps = Array(repeating: "..", count: base.count - common) + target.dropFirst(common)
    return steps.isEmpty ? "." : steps.joined(separator: "/")
  }

  /// The workspace's own README: what to edit, and the commands that run and score it.
  static let readme = """
    # Your exercises

    This folder is yours. Each chapter in `chapters/` has exercises: a stub block that says
    `// Your code here`, followed by a block that grades your answer. Edit the stubs, then run
    the chapter. Rebuilding the course's student edition never overwrites a chapter you changed.

    From this folder, with the course's `notebook` command (`../.build/release/notebook` if this
    folder sits in the course, after `make build` there):

    ```sh
    notebook run chapters/01-factor-analysis.md   # one chapter: its output, checks and exercises
    notebook check                                # every chapter: your score on each exercise
    notebook build                                # the chapters as a site, in site/
    ```

    `notebook run` ends with your score (`exercises: 1 of 2 solved`) and exits with status 0
    when the chapter ran without errors and every exercise in it is solved, 1 otherwise.
    `notebook check` prints one line per exercise and `exercises: N of M solved`.

    A grade compares your value with a hidden answer to a few significant digits; it tells you
    when your value is not yet right, never what the answer is.

    """
}

/// A folder that cannot become a student workspace.
public struct WorkspaceError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
