import Foundation
import XCTest

/// Runs the built `notebook` binary on a scratch project made of fixture chapters.
struct NotebookBinary {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let fixtures = packageRoot.appendingPathComponent("Tests/NotebookTests/Fixtures")
  static let libraryDirectory = packageRoot.appendingPathComponent(".build/release").path

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// A scratch project whose `chapters/` holds copies of the named fixtures.
  let project: URL

  init(fixtures names: [String]) throws {
    guard FileManager.default.fileExists(atPath: Self.libraryDirectory + "/libLatent.so") else {
      throw XCTSkip("no release build of libLatent.so: run `make test` (it builds it first)")
    }
    _ = Self.sharedModuleCache
    project = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: project.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    for name in names { try add(name) }
  }

  /// Every scratch project's chapter programs compile against one module cache (unless the
  /// environment names one already): precompiling the system's modules again for each new
  /// project costs seconds of every test that runs a chapter. MovedCourseTests turns it off,
  /// since a course's own module cache is what it tests. Set once, on first use.
  private static let sharedModuleCache: Void = {
    let folder = packageRoot.appendingPathComponent(".build/test-module-cache").path
    setenv("NOTEBOOK_MODULE_CACHE", folder, 0)
  }()

  func add(_ name: String) throws {
    try FileManager.default.copyItem(
      at: Self.fixtures.appendingPathComponent(name), to: project.appendingPathComponent("chapters/" + name))
  }

  func remove() { try? FileManager.default.removeItem(at: project) }

  func path(_ relative: String) -> String { project.appendingPathComponent(relative).path }

  func read(_ relative: String) -> String? { try? String(contentsOfFile: path(relative), encoding: .utf8) }

  func write(_ relative: String, _ text: String) throws {
    try text.write(toFile: path(relative), atomically: true, encoding: .utf8)
  }

  /// The command `swift test` builds beside the tests (in whatever configuration or scratch path).
  static var executable: String {
    let candidates = [
      (Bundle.main.executableURL ?? Bundle.main.bundleURL).deletingLastPathComponent()
        .appendingPathComponent("notebook").path,
      packageRoot.appendingPathComponent(".build/debug/notebook").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
  }

  /// Starts the command without waiting for it; its standard output goes to `.start.out` in
  /// the project, its errors nowhere.
  func start(_ arguments: [String], in folder: String? = nil) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.executable)
    process.arguments = arguments + ["--library-dir", Self.libraryDirectory]
    process.currentDirectoryURL = folder.map { project.appendingPathComponent($0) } ?? project
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let out = project.appendingPathComponent(".start.out")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  @discardableResult
  func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
    try run(arguments, in: nil, libraryDirectory: Self.libraryDirectory, environment: extra)
  }

  /// Runs the command in `folder` (relative to the project); without `libraryDirectory` it
  /// finds the library as a user's command would.
  func run(
    _ arguments: [String], in folder: String?, libraryDirectory: String?, environment extra: [String: String] = [:]
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.executable)
    process.arguments = arguments + (libraryDirectory.map { ["--library-dir", $0] } ?? [])
    process.currentDirectoryURL = folder.map { project.appendingPathComponent($0) } ?? project
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    let out = project.appendingPathComponent(".out")
    let err = project.appendingPathComponent(".err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
  }

  /// SHA-256 of `text` by coreutils' `sha256sum`: a reference independent of the engine's own.
  static func sha256sum(_ text: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let line = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(line.prefix(64))
  }
}
