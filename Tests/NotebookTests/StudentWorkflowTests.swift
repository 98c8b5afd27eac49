import Foundation
import XCTest

/// The student edition as a workspace: a student's work survives every rebuild, the documented
/// commands score it, and no verdict or message gives an answer away. Through the built binary.
final class StudentWorkflowTests: XCTestCase {
  static let solvedStub = "mean = numbers.reduce(0, +) / Double(numbers.count)"

  func testAStudentsEditedChapterSurvivesARebuildAndAOneChapterRebuildLeavesTheOthers() throws {
    let project = try NotebookBinary(fixtures: ["exercise.md", "good.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build", "--edition", "student"]).status, 0)
    let generated = try XCTUnwrap(project.read("student/chapters/exercise.md"))
    let solved = generated.replacingOccurrences(of: "// Your code here: set mean.", with: Self.solvedStub)
    XCTAssertNotEqual(solved, generated)
    try project.write("student/chapters/exercise.md", solved)

    // A full rebuild keeps the student's chapter and says so.
    let full = try project.run(["build", "--edition", "student"])
    XCTAssertEqual(full.status, 0, full.stderr)
    XCTAssertEqual(project.read("student/chapters/exercise.md"), solved)
    XCTAssertTrue(full.stderr.contains("kept student/chapters/exercise.md"), full.stderr)

    // A one-chapter rebuild touches only that chapter; every page stays.
    let good = try XCTUnwrap(project.read("student/chapters/good.md"))
    try project.write("student/chapters/good.md", good + "\nA note of mine.\n")
    let partial = try project.run(["build", "--edition", "student", "chapters/exercise.md"])
    XCTAssertEqual(partial.status, 0, partial.stderr)
    XCTAssertEqual(project.read("student/chapters/exercise.md"), solved)
    XCTAssertEqual(project.read("student/chapters/good.md"), good + "\nA note of mine.\n")
    for page in ["exercise.html", "good.html", "index.html"] {
      XCTAssertNotNil(project.read("student/site/" + page), page)
    }
    XCTAssertTrue(try XCTUnwrap(project.read("student/site/good.html")).contains("A note of mine."))

    // An unchanged generated file does follow the instructor's edits.
    try project.write("chapters/good.md", try XCTUnwrap(project.read("chapters/good.md")) + "\nErratum.\n")
    XCTAssertEqual(try project.run(["build", "--edition", "student", "chapters/good.md"]).status, 0)
    XCTAssertEqual(project.read("student/chapters/good.md"), good + "\nA note of mine.\n")
    try project.write("student/chapters/good.md", good)
    XCTAssertEqual(try project.run(["build", "--edition", "student", "chapters/good.md"]).status, 0)
    XCTAssertTrue(try XCTUnwrap(project.read("student/chapters/good.md")).contains("Erratum."))
  }

  func testTheDocumentedScoreCommandsCountASolvedExercise() throws {
    let project = try NotebookBinary(fixtures: ["exercise.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build", "--edition", "student"]).status, 0)
    XCTAssertNotNil(project.read("student/README.md"))

    // Unsolved: inside the workspace, with no flags at all (the library is found from its record).
    let open = try project.run(["run", "chapters/exercise.md"], in: "student", libraryDirectory: nil)
    XCTAssertEqual(open.status, 1, open.stderr)
    XCTAssertTrue(open.stdout.contains("exercises: 0 of 1 solved"), open.stdout)
    XCTAssertTrue(open.stdout.contains("not yet the expected answer (your value: 0)"), open.stdout)
    XCTAssertNil(
      (open.stdout + open.stderr).range(of: "[0-9a-f]{64}", options: .regularExpression),
      "a digest reached the student")

    let generated = try XCTUnwrap(project.read("student/chapters/exercise.md"))
    try project.write(
      "student/chapters/exercise.md",
      generated.replacingOccurrences(of: "// Your code here: set mean.", with: Self.solvedStub))
    let solved = try project.run(["run", "chapters/exercise.md"], in: "student", libraryDirectory: nil)
    XCTAssertEqual(solved.status, 0, solved.stdout + solved.stderr)
    XCTAssertTrue(solved.stdout.contains("exercises: 1 of 1 solved"), solved.stdout)

    let check = try project.run(["check"], in: "student", libraryDirectory: nil)
    XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    XCTAssertTrue(check.stdout.contains("exercise mean-of-three (chapters/exercise.md): ✓ solved"), check.stdout)
    XCTAssertTrue(check.stdout.contains("exercises: 1 of 1 solved"), check.stdout)

    // From the course root, a chapter of the workspace runs as the student edition unasked.
    let fromRoot = try project.run(["run", "student/chapters/exercise.md"])
    XCTAssertEqual(fromRoot.status, 0, fromRoot.stdout + fromRoot.stderr)
    XCTAssertTrue(fromRoot.stdout.contains("exercises: 1 of 1 solved"), fromRoot.stdout)
  }

  func testAChapterWithAFailedGradeGetsNoTickAndTheInstructorSeesTheDigest() throws {
    let project = try NotebookBinary(fixtures: ["exercise.md"])
    defer { project.remove() }
    let student = try project.run(["check", "--edition", "student"])
    XCTAssertEqual(student.status, 1)
    XCTAssertTrue(student.stderr.contains("✗ chapters/exercise.md: 0/1 checks"), student.stderr)
    XCTAssertFalse(student.stderr.contains("✓"), student.stderr)

    // The instructor edition with a wrong answer: an error that names the digest to paste.
    let source = try XCTUnwrap(project.read("chapters/exercise.md"))
    try project.write(
      "chapters/exercise.md", source.replacingOccurrences(of: "/ Double(numbers.count)", with: "/ 2"))
    let instructor = try project.run(["check"])
    XCTAssertEqual(instructor.status, 1)
    let digest = try answerDigestOfFixture(value: 65, digits: 3)
    XCTAssertTrue(instructor.stderr.contains("not yet the expected answer"), instructor.stderr)
    XCTAssertTrue(instructor.stderr.contains(digest), instructor.stderr)
  }

  /// SHA-256 of `ID|value` with the value as `%.{digits-1}e`, computed here with `sha256sum` (independent of
  /// the engine's own digest code).
  private func answerDigestOfFixture(value: Double, digits: Int) throws -> String {
    try NotebookBinary.sha256sum("mean-of-three|" + String(format: "%.\(digits - 1)e", value))
  }
}
