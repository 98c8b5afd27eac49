import Foundation
import XCTest

@testable import Notebook

/// The outline of a chapter's top level, from the compiler's own parser, and the resumed
/// program written from it.
final class ProgramOutlineTests: XCTestCase {
  let source = """
    ---
    title: Outline
    ---

    ```swift
    let (a, b) = (1, 2)
    func twice(_ x: Int) -> Int {
      2 * x
    }
    struct Pair: Codable { var x = 1 }
    var total = 0, pair = Pair()
    for i in 0..<3 { total += i }
    ```

    ```swift
    let late = twice(total)
    print(late)
    ```

    ```swift
    print(late + a)
    ```
    """

  func outline(_ text: String) throws -> (Chapter, ProgramOutline) {
    let chapter = try ChapterParser.parse(text, path: "chapters/outline.md")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("outline-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let swiftc = try XCTUnwrap(Toolchain.which("swiftc"), "swiftc is on PATH")
    return (chapter, try XCTUnwrap(ProgramOutline.make(chapter, swiftc: swiftc, scratch: scratch)))
  }

  func testTheOutlineNamesEveryTopLevelValueAtItsMarkdownLine() throws {
    let (_, outline) = try outline(source)
    XCTAssertEqual(outline.savableBlocks, 3)
    let names = outline.variables(through: 2).map { "\($0.name)@\($0.line):\($0.column)\($0.isLet ? "" : " var")" }
    XCTAssertEqual(names, ["a@6:6", "b@6:9", "total@11:5 var", "pair@11:16 var", "late@16:5"])
    XCTAssertEqual(
      outline.blocks[0],
      [
        .binding(outline.variables(through: 0).filter { ["a", "b"].contains($0.name) }),
        .declaration(first: 1, last: 3), .declaration(first: 4, last: 4),
        .binding(outline.variables(through: 0).filter { ["total", "pair"].contains($0.name) }), .statement,
      ])
  }

  func testTheResumedProgramRestoresValuesKeepsDeclarationsAndDropsStatements() throws {
    let (chapter, outline) = try outline(source)
    let types = ["a": "Swift.Int", "b": "Swift.Int", "total": "Swift.Int", "pair": "program.Pair", "late": "Swift.Int"]
    let resumed = try XCTUnwrap(
      ChapterProgram(chapter: chapter, outline: outline, resume: .init(position: 1, types: types)))
    let code = resumed.source
    XCTAssertTrue(code.contains(#"let a: Swift.Int = NotebookHooks.restore("a")"#), code)
    XCTAssertTrue(code.contains(#"var pair: program.Pair = NotebookHooks.restore("pair")"#), code)
    XCTAssertTrue(code.contains(#"let late: Swift.Int = NotebookHooks.restore("late")"#), code)
    XCTAssertTrue(code.contains("func twice(_ x: Int) -> Int {\n  2 * x\n}"), code)
    XCTAssertTrue(code.contains("struct Pair: Codable { var x = 1 }"), code)
    XCTAssertFalse(code.contains("for i in 0..<3"), "statements that ran are left out")
    XCTAssertFalse(code.contains("print(late)\n"), "statements that ran are left out")
    XCTAssertTrue(
      code.contains(
        "NotebookHooks.enterBlock(2)\n#sourceLocation(file: \"chapters/outline.md\", line: 21)\nprint(late + a)"))
    XCTAssertFalse(code.contains("NotebookHooks.enterBlock(0)"))
    // The same code identity as the program that runs every block: the cache cannot tell them apart.
    XCTAssertEqual(resumed.codeIdentity, ChapterProgram(chapter: chapter).codeIdentity)
    XCTAssertNil(
      ChapterProgram(
        chapter: chapter, outline: outline,
        resume: .init(position: 1, types: types.merging(["pair": "program.(unknown context at $1234).Pair"]) { $1 })),
      "a type Swift cannot name cannot be restored")
  }

  func testValuesACheckpointCannotHoldEndTheSavableBlocks() throws {
    for (code, reason) in [
      ("var later: Int\nlater = 1", "declared without a value"),
      ("var computed: Int { 4 }", "computed"),
      ("var watched = 0 { didSet { print(watched) } }", "observed"),
      ("func f() {}; let x = 1", "a declaration sharing its line"),
    ] {
      let text =
        "---\ntitle: T\n---\n\n```swift\nlet fine = 1\n```\n\n```swift\n\(code)\n```\n\n```swift\nprint(fine)\n```\n"
      let (_, outline) = try outline(text)
      XCTAssertEqual(outline.savableBlocks, 1, reason)
    }
  }
}
