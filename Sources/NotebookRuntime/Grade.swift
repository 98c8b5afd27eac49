import Foundation
internal import NotebookEvents

/// Grades an exercise: passes when `value` agrees with the hidden answer to `digits` significant
/// digits. The answer is given only as its digest, so the student edition does not show it; get
/// the digest of a solution's value with `notebook digest ID VALUE --digits N`, or from the
/// message a failing grade prints in the instructor edition.
///
///     grade("kl-by-hand", klByHand, digits: 4, answer: "5f3c…")
@discardableResult
public func grade(
  _ exercise: String, _ value: Double, digits: Int = 4, answer digest: String,
  file: StaticString = #file, line: UInt = #line
) -> Bool {
  let valueDigest = answerDigest(exercise: exercise, value: value, digits: digits)
  let passed = !value.isNaN && valueDigest == digest.lowercased()
  let detail = passed ? nil : value.isNaN ? "the value is NaN" : "not yet the expected answer"
  // The digest of a wrong value travels apart from the message: the engine shows it to the
  // instructor (to paste into `answer:`), never to a student.
  report(
    CheckRecord(
      label: "Exercise \(exercise)", expectation: "the hidden answer to \(digits) significant digits",
      value: formatNumber(value), passed: passed, detail: detail, file: "\(file)", line: Int(line),
      exercise: exercise, valueDigest: passed ? nil : valueDigest))
  return passed
}
