import Foundation
internal import NotebookEvents

/// Grades an exercise: passes when `value` agrees with the hidden answer to `digits` significant
/// digits (on either of `AnswerDigest`'s two rounding grids, so a correct value near a rounding
/// boundary passes). The answer is given only as digests, so the student edition does not show
/// it; get them for a solution's value with `notebook digest ID VALUE --digits N`, or from the
/// message a failing grade prints in the instructor edition.
///
///     grade("kl-by-hand", klByHand, digits: 4, answer: "5f3c… 91ab…")
@discardableResult
public func grade(
  _ exercise: String, _ value: Double, digits: Int = 4, answer digest: String,
  file: StaticString = #file, line: UInt = #line
) -> Bool {
  let passed = AnswerDigest.matches(exercise: exercise, value: value, digits: digits, answer: digest)
  let detail = passed ? nil : value.isNaN ? "the value is NaN" : "not yet the expected answer"
  // The digests of a wrong value travel apart from the message: the engine shows them to the
  // instructor (to paste into `answer:`), never to a student.
  report(
    CheckRecord(
      label: "Exercise \(exercise)", expectation: "the hidden answer to \(digits) significant digits",
      value: formatNumber(value), passed: passed, detail: detail, file: "\(file)", line: Int(line),
      exercise: exercise,
      valueDigest: passed || !value.isFinite
        ? nil : AnswerDigest.answer(exercise: exercise, value: value, digits: digits)))
  return passed
}
