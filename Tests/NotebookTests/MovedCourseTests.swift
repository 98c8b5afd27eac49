import Foundation
import XCTest

/// A course folder that is copied or moved still runs its chapters, with no `make clean`.
final class MovedCourseTests: XCTestCase {
  func testACopiedCourseFolderRunsAChapter() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    // The course's own module cache, not the one the other tests share (NotebookBinary).
    let ownModuleCache = ["NOTEBOOK_MODULE_CACHE": ""]
    XCTAssertEqual(try project.run(["run", "chapters/good.md"], environment: ownModuleCache).status, 0)
    let work = try FileManager.default.contentsOfDirectory(atPath: project.path(".notebook-cache/work"))
    XCTAssertTrue(work.contains { $0.hasPrefix("module-cache-") }, "the module cache is in the course: \(work)")

    // `cp -a course course2`, then a fresh run there (the cache would otherwise hide a compile).
    let copy = project.project.deletingLastPathComponent().appendingPathComponent(
      project.project.lastPathComponent + "-copy")
    try FileManager.default.copyItem(at: project.project, to: copy)
    defer { try? FileManager.default.removeItem(at: copy) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: NotebookBinary.executable)
    process.arguments = ["run", "chapters/good.md", "--fresh", "--library-dir", NotebookBinary.libraryDirectory]
    process.currentDirectoryURL = copy
    process.environment = ProcessInfo.processInfo.environment.merging(ownModuleCache) { _, own in own }
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, text)
    XCTAssertFalse(text.contains("module cache path"), text)
  }
}
