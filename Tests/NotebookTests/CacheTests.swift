import Foundation
import NotebookEvents
import XCTest

@testable import Notebook

final class CacheTests: XCTestCase {
  func testSHA256MatchesThePublishedVectors() {
    // FIPS 180-2, appendix B.1 and the empty message.
    let abc = SHA256Digest()
    abc.update("abc")
    XCTAssertEqual(abc.hexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(SHA256Digest().hexDigest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  func testLinesInsideMovedCodeFollowIt() {
    let old = [
      ChapterProgram.Unit(kind: .cell, index: 0, line: 10, lineCount: 3),
      ChapterProgram.Unit(kind: .cell, index: 1, line: 20, lineCount: 2),
    ]
    let new = [
      ChapterProgram.Unit(kind: .cell, index: 0, line: 12, lineCount: 3),
      ChapterProgram.Unit(kind: .cell, index: 1, line: 30, lineCount: 2),
    ]
    let shift = LineShift(old: old, new: new)
    XCTAssertEqual(shift(11), 13)
    XCTAssertEqual(shift(21), 31)
    XCTAssertEqual(shift(15), 15, "a line outside any code unit stays")
  }

  /// A result stored for a chapter is found by its copy in another folder (the student
  /// edition's `student/chapters/`), and names the copy wherever it named the original.
  func testAResultIsFoundByTheChaptersCopyInAnotherFolderAndNamesTheCopy() throws {
    let folder = NSTemporaryDirectory() + "result-cache-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let toolchain = Toolchain(swiftc: folder + "/swiftc", libraryDirectory: folder, includeDirectories: [])
    let cache = ResultCache(directory: folder + "/results", toolchain: toolchain, dataDirectory: nil)
    let source = "Prose.\n\n```swift\nlet x = 1\ncheck(\"x\", Double(x)).equals(1)\n```\n"
    let original = try ChapterParser.parse(source, path: "chapters/t.md")
    let copy = try ChapterParser.parse(source, path: "student/chapters/t.md")
    let key = cache.key(for: original, program: ChapterProgram(chapter: original))
    XCTAssertEqual(cache.key(for: copy, program: ChapterProgram(chapter: copy)), key)

    var result = ChapterResult(cellCount: original.cells.count, expressionCount: 0)
    result.checks = [
      CheckResult(
        kind: .check, label: "x", value: "1", expectation: "= 1", passed: true,
        location: SourceLocation(file: "chapters/t.md", line: 5), cell: 0)
    ]
    result.diagnostics = [
      Diagnostic(
        .warning, at: SourceLocation(file: "chapters/t.md", line: 4, column: 5), "never mutated",
        details: ["chapters/t.md:4:5: note: change 'var' to 'let'", "    at /course/chapters/t.md:4:5"])
    ]
    result.blocks[0].output = "printed chapters/t.md"
    cache.store(result, key: key, program: ChapterProgram(chapter: original), chapter: original)

    let found = try XCTUnwrap(cache.load(key: key, program: ChapterProgram(chapter: copy), chapter: copy))
    XCTAssertEqual(found.checks.map(\.location), [SourceLocation(file: "student/chapters/t.md", line: 5)])
    XCTAssertEqual(
      found.diagnostics.map(\.location), [SourceLocation(file: "student/chapters/t.md", line: 4, column: 5)])
    XCTAssertEqual(
      found.diagnostics[0].details,
      ["student/chapters/t.md:4:5: note: change 'var' to 'let'", "    at /course/student/chapters/t.md:4:5"])
    XCTAssertEqual(found.blocks[0].output, "printed chapters/t.md", "what the chapter printed is its own")
    let same = try XCTUnwrap(cache.load(key: key, program: ChapterProgram(chapter: original), chapter: original))
    XCTAssertEqual(same.checks, result.checks)
    XCTAssertEqual(same.diagnostics, result.diagnostics)
  }

  func testAnswerDigestsAgreeToTheRequestedDigits() {
    XCTAssertEqual(roundedAnswer(43.33333, digits: 3), "4.33e+01")
    XCTAssertEqual(roundedAnswer(-0.00001, digits: 2), "-1.0e-05")
    XCTAssertEqual(
      answerDigest(exercise: "e", value: 43.3333, digits: 3), answerDigest(exercise: "e", value: 43.3349, digits: 3))
    XCTAssertNotEqual(
      answerDigest(exercise: "e", value: 43.3333, digits: 3), answerDigest(exercise: "f", value: 43.3333, digits: 3))
    // SHA-256 of the text "e|4.33e+01", computed independently (printf 'e|4.33e+01' | sha256sum).
    XCTAssertEqual(
      answerDigest(exercise: "e", value: 43.3333, digits: 3),
      "a00dd689f638fe973530ae61dc4e226fc6ba2ee9f5c9705850751b8a72fed4a6")
  }
}

final class CheckpointPruningTests: XCTestCase {
  /// Another chapter's run writes (or touches) its blobs before its checkpoint is stored; a
  /// prune in between must leave them alone and delete only old unreferenced ones.
  func testPruningKeepsYoungUnreferencedBlobsAndDeletesOldOnes() throws {
    let folder = NSTemporaryDirectory() + "checkpoint-prune-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = CheckpointStore(directory: folder)
    try FileManager.default.createDirectory(atPath: store.blobDirectory, withIntermediateDirectories: true)
    let young = String(repeating: "a", count: 64), old = String(repeating: "b", count: 64)
    for name in [young, old] {
      XCTAssertTrue(FileManager.default.createFile(atPath: store.blobDirectory + "/" + name, contents: Data([1, 2])))
    }
    let hourAgo = Date(timeIntervalSinceNow: -3600)
    try FileManager.default.setAttributes(
      [.modificationDate: hourAgo], ofItemAtPath: store.blobDirectory + "/" + old)
    let chapter = try ChapterParser.parse("```swift\nprint(1)\n```\n", path: "chapters/t.md")
    store.prune(for: chapter, program: ChapterProgram(chapter: chapter), environmentDigest: "e")
    let left = try FileManager.default.contentsOfDirectory(atPath: store.blobDirectory)
    XCTAssertEqual(left, [young])
  }
}
