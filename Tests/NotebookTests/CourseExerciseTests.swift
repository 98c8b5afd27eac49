import Foundation
import NotebookEvents
import XCTest

@testable import Notebook

/// The course's own exercises: at least two in each of chapters 01 to 12, every solution passes
/// its grades, every stub fails them, and the student edition shows neither solution code nor
/// the expected answers.
final class CourseExerciseTests: XCTestCase {
  static let chapters = [
    "chapters/01-factor-analysis.md", "chapters/02-probabilistic-pca.md", "chapters/03-mean-field.md",
    "chapters/04-elbo.md", "chapters/05-reparameterization.md", "chapters/06-vae.md",
    "chapters/07-vae-failure-modes.md", "chapters/08-linear-vae.md", "chapters/09-exact-evidence.md",
    "chapters/10-mixtures-and-discrete-latents.md", "chapters/11-conditional-vae.md",
    "chapters/12-lagging-inference.md",
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
      // The student's page as the site shows it (math as its TeX, which holds the same numbers).
      let pages = student.pagesWithoutTypesetting([stub], course: "Course")
      let studentPage = String(decoding: pages[chapter.pageName] ?? [], as: UTF8.self)
      XCTAssertFalse(studentPage.isEmpty, "\(chapter.path): no student page")

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
          let value = try XCTUnwrap(Double(grade.value))
          let digits = try XCTUnwrap(
            grade.expectation.firstMatch(of: #/(\d+) significant/#).flatMap { Int($0.1) }, grade.expectation)
          let call = #/grade\("(?<id>[^"]+)".*answer: "(?<answer>[0-9a-f ]+)"\)/#
          let answer = try XCTUnwrap(
            studentSource.matches(of: call).first { $0.output.id == exercise }.map { String($0.output.answer) },
            "\(chapter.path): no grade call for \(exercise)")
          for (name, text) in [("student chapter", studentSource), ("student page", studentPage)] {
            let shown = Self.numbers(in: text, agreeingWith: value, digits: digits) { x in
              AnswerDigest.matches(exercise: exercise, value: x, digits: digits, answer: answer)
            }
            XCTAssertTrue(shown.isEmpty, "\(chapter.path): the \(name) shows \(exercise)'s answer as \(shown)")
          }
        }
      }
    }
  }

  /// The numbers written in `text` that give `value` away: those the grade would accept
  /// (`passes`, on either rounding grid) that are written with at least as many digits as the
  /// rounded answer needs (so `49` gives away 49, and `0.46` does not give away 0.4567 at 3
  /// digits).
  static func numbers(in text: String, agreeingWith value: Double, digits: Int, passes: (Double) -> Bool)
    -> [String]
  {
    func significantDigits(_ token: Substring) -> Int {
      let mantissa = token.prefix { $0 != "e" && $0 != "E" }.filter(\.isNumber).drop { $0 == "0" }
      let decimal = token.contains(".")
      return decimal ? mantissa.count : mantissa.reversed().drop { $0 == "0" }.count
    }
    let needed = significantDigits(Substring(String(format: "%.\(digits)g", value)))
    return text.matches(of: #/-?\d+(\.\d+)?([eE][-+]?\d+)?/#).map(\.output.0).filter { token in
      guard let x = Double(token) else { return false }
      return significantDigits(token) >= needed && passes(x)
    }.map(String.init)
  }
}
