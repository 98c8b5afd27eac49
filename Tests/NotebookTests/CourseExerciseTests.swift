import Foundation
import XCTest

@testable import Notebook

/// The course's own exercises: at least two in each of chapters 01 to 05, every solution passes
/// its grades, every stub fails them, and the student edition shows neither solution code nor
/// the expected answers.
final class CourseExerciseTests: XCTestCase {
  static let chapters = [
    "chapters/01-factor-analysis.md", "chapters/02-probabilistic-pca.md", "chapters/03-mean-field.md",
    "chapters/04-elbo.md", "chapters/05-reparameterization.md",
  ]

  func testEachChapterHasExercisesThatGradeTheirSolutionsAndFailTheirStubs() throws {
    guard FileManager.default.fileExists(atPath: NotebookBinary.libraryDirectory + "/libLatent.so") else {
      throw XCTSkip("no release build of libLatent.so: run `make test`")
    }
    let root = NotebookBinary.packageRoot.path
    let instructor = try Engine(root: root, libraryDirectory: NotebookBinary.libraryDirectory)
    let student = try Engine(root: root, libraryDirectory: NotebookBinary.libraryDirectory, edition: .student)
    let solved = instructor.evaluate(Self.chapters)
    let stubbed = student.evaluate(Self.chapters)
    for (solution, stub) in zip(solved, stubbed) {
      let chapter = try XCTUnwrap(solution.chapter, "\(solution.path): \(solution.diagnostics)")
      XCTAssertGreaterThanOrEqual(chapter.exercises.count, 2, "\(chapter.path) needs two exercises")
      XCTAssertTrue(solution.passed, "\(chapter.path): \(solution.diagnostics.map(\.description))")
      let studentSource = StudentEdition.strip(try String(contentsOfFile: root + "/" + chapter.path, encoding: .utf8))

      for exercise in chapter.exercises {
        let grades = solution.checks.filter { $0.exercise == exercise }
        XCTAssertFalse(grades.isEmpty, "\(chapter.path): exercise \(exercise) is never graded")
        XCTAssertTrue(grades.allSatisfy(\.passed), "\(chapter.path): the solution of \(exercise) fails")
        let stubGrades = stub.checks.filter { $0.exercise == exercise }
        XCTAssertFalse(stubGrades.isEmpty, "\(chapter.path): the stub of \(exercise) is never graded")
        XCTAssertFalse(stubGrades.contains(where: \.passed), "\(chapter.path): the stub of \(exercise) passes")

        // Neither the solution's code nor its answer (to 4 significant digits) is in the student text.
        for cell in chapter.cells where cell.mode == .solution && cell.exercise == exercise {
          for line in cell.code.split(separator: "\n") where line.count > 12 {
            XCTAssertFalse(studentSource.contains(line), "\(chapter.path): student edition shows «\(line)»")
          }
        }
        for grade in grades {
          guard let value = Double(grade.value), value.rounded() != value else { continue }
          let answer = String(format: "%.4g", value)
          XCTAssertFalse(studentSource.contains(answer), "\(chapter.path): student edition shows the answer \(answer)")
        }
      }
    }
  }
}
