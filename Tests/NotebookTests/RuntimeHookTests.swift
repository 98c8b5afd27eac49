import Foundation
import NotebookEvents
import XCTest

@testable import Notebook

/// The hooks a generated chapter program calls (`RuntimeHook`) are the functions NotebookRuntime
/// defines: programs the planner writes, with every hook in them, type-check against the
/// runtime module this test bundle was built with. A hook renamed on one side only, or given
/// other arguments, fails here rather than in a chapter.
final class RuntimeHookTests: XCTestCase {
  let source = """
    ---
    title: Hooks
    ---

    ```swift
    struct Point: Codable { var x = 1.5 }
    let point = Point()
    var count = 2
    ```

    The point's x is `{swift} point.x`.

    ```swift
    count += 1
    check("count", Double(count)).equals(3)
    ```

    ```swift
    print(count)
    ```
    """

  /// The module folder of the build this test runs from (`.build/debug/Modules`).
  static var modules: String {
    let bundle = (Bundle.main.executableURL ?? Bundle.main.bundleURL).deletingLastPathComponent()
    return bundle.appendingPathComponent("Modules").path
  }

  func testEveryHookTheProgramsCallTypeChecksAgainstTheRuntime() throws {
    let swiftc = try XCTUnwrap(Toolchain.which("swiftc"), "swiftc is on PATH")
    let runtime = Self.modules + "/\(RuntimeHook.module).swiftmodule"
    XCTAssertTrue(FileManager.default.fileExists(atPath: runtime), "\(runtime) is built with the tests")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hooks-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }

    let chapter = try ChapterParser.parse(source, path: "chapters/hooks.md")
    let outline = try XCTUnwrap(ProgramOutline.make(chapter, swiftc: swiftc, scratch: scratch))
    let full = ChapterProgram(chapter: chapter, outline: outline)
    let types = ["point": "program.Point", "count": "Swift.Int"]
    let resumed = try XCTUnwrap(
      ChapterProgram(chapter: chapter, outline: outline, resume: .init(position: 0, types: types)))
    for hook in RuntimeHook.allCases {
      XCTAssertTrue(
        (full.source + resumed.source).contains(hook.qualifiedName + "("), "the programs call \(hook.qualifiedName)")
    }
    XCTAssertTrue(full.source.hasPrefix("import Foundation\nimport Latent\nimport NotebookRuntime\n"), full.source)

    for (name, program) in [("full", full), ("resumed", resumed)] {
      let main = scratch + "/\(name)/main.swift"
      try FileManager.default.createDirectory(atPath: scratch + "/\(name)", withIntermediateDirectories: true)
      try program.source.write(toFile: main, atomically: true, encoding: .utf8)
      let shims = ["CBLAS", "CZlib", "COpenSSL", "CExecInfo"].flatMap {
        ["-I", NotebookBinary.packageRoot.appendingPathComponent("Sources/\($0)").path]
      }
      let moduleCache = NotebookBinary.packageRoot.appendingPathComponent(".build/test-module-cache").path
      let process = Process()
      process.executableURL = URL(fileURLWithPath: swiftc)
      process.arguments =
        ["-typecheck", "-swift-version", "5", "-module-name", "program", "-module-cache-path", moduleCache]
        + ["-I", Self.modules] + shims + [main]
      let diagnostics = Pipe()
      process.standardOutput = diagnostics
      process.standardError = diagnostics
      try process.run()
      let text = String(decoding: diagnostics.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      XCTAssertEqual(process.terminationStatus, 0, "the \(name) program:\n\(text)\n\(program.source)")
    }
  }
}
