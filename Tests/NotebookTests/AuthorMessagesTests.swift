import Foundation
import XCTest

/// Mistakes an author makes, reported through the built binary so they can be found: a check
/// label used at two lines, and output that differs from the expected only in white space.
final class AuthorMessagesTests: XCTestCase {
  func testACheckLabelUsedAtASecondLineIsAnErrorThere() throws {
    let project = try NotebookBinary(fixtures: ["duplicate-check.md"])
    defer { project.remove() }
    let result = try project.run(["check"])
    XCTAssertEqual(result.status, 1)
    let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
    // Lines 14 and 16 of the fixture repeat line 7's label; line 8 checks three times in a loop.
    XCTAssertEqual(
      errors,
      [
        "chapters/duplicate-check.md:14:1: error: the check label `the value` is already used at line 7; "
          + "give each check its own",
        "chapters/duplicate-check.md:16:1: error: the check label `the value` is already used at line 7; "
          + "give each check its own",
      ], result.stderr)
  }

  func testATabWhereSpacesWereExpectedIsVisibleInTheMessage() throws {
    let project = try NotebookBinary(fixtures: ["whitespace-output.md"])
    defer { project.remove() }
    let result = try project.run(["check"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(
      result.stderr.contains(
        "chapters/whitespace-output.md:11:1: error: output differs from the expected output: "
          + "expected \"name····value\", got \"name→value\" (only white space differs: → is a tab, · a space)"),
      result.stderr)
  }
}
