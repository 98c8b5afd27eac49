import Foundation
internal import NotebookEvents

/// Starts a check of a value the chapter computed but need not print.
///
///     check("KL(q ‖ p)", kl).equals(3.125, tolerance: 1e-12)
///     check("test −ELBO per image", loss).isAtMost(246)
///
/// The check is recorded when its assertion runs, located at the Markdown line of the call.
public func check(
  _ label: String, _ value: Double, file: StaticString = #file, line: UInt = #line
) -> ValueCheck {
  ValueCheck(label: label, value: value, file: "\(file)", line: Int(line))
}

/// Starts a check of a sequence, such as an EM log-likelihood history.
///
///     check("log-likelihood per iteration", history).isNonDecreasing(tolerance: 1e-9)
public func check(
  _ label: String, _ values: [Double], file: StaticString = #file, line: UInt = #line
) -> SequenceCheck {
  SequenceCheck(label: label, values: values, file: "\(file)", line: Int(line))
}

/// Assertions about one number. NaN never passes any of them.
public struct ValueCheck {
  let label: String
  let value: Double
  let file: String
  let line: Int

  /// Passes when |value − expected| ≤ tolerance (absolute), or, with `relative: true`,
  /// when |value − expected| ≤ tolerance · |expected|.
  @discardableResult
  public func equals(_ expected: Double, tolerance: Double = 1e-9, relative: Bool = false) -> Bool {
    let difference = abs(value - expected)
    let allowed = relative ? tolerance * abs(expected) : tolerance
    let passed = !value.isNaN && difference <= allowed
    let mode = relative ? " (relative)" : ""
    return record(
      expectation: "= \(formatNumber(expected)) ± \(formatNumber(tolerance))\(mode)",
      passed: passed,
      detail: passed ? nil : "differs from \(formatNumber(expected)) by \(formatNumber(difference))")
  }

  /// Passes when value ≤ bound.
  @discardableResult
  public func isAtMost(_ bound: Double) -> Bool {
    record(expectation: "≤ \(formatNumber(bound))", passed: value <= bound, detail: nil)
  }

  /// Passes when value ≥ bound.
  @discardableResult
  public func isAtLeast(_ bound: Double) -> Bool {
    record(expectation: "≥ \(formatNumber(bound))", passed: value >= bound, detail: nil)
  }

  /// Passes when lower ≤ value ≤ upper.
  @discardableResult
  public func isBetween(_ lower: Double, _ upper: Double) -> Bool {
    record(
      expectation: "in [\(formatNumber(lower)), \(formatNumber(upper))]",
      passed: lower <= value && value <= upper, detail: nil)
  }

  private func record(expectation: String, passed: Bool, detail: String?) -> Bool {
    let outcome = CheckRecord(
      label: label, expectation: expectation, value: formatNumber(value), passed: passed,
      detail: value.isNaN ? "the value is NaN" : detail, file: file, line: line)
    report(outcome)
    return passed
  }
}

/// Assertions about a sequence of numbers.
public struct SequenceCheck {
  let label: String
  let values: [Double]
  let file: String
  let line: Int

  /// Passes when every step satisfies values[i+1] ≥ values[i] − tolerance and no value is NaN.
  @discardableResult
  public func isNonDecreasing(tolerance: Double = 0) -> Bool {
    monotone(expectation: "non-decreasing", tolerance: tolerance) { $1 >= $0 - tolerance }
  }

  /// Passes when every step satisfies values[i+1] ≤ values[i] + tolerance and no value is NaN.
  @discardableResult
  public func isNonIncreasing(tolerance: Double = 0) -> Bool {
    monotone(expectation: "non-increasing", tolerance: tolerance) { $1 <= $0 + tolerance }
  }

  private func monotone(
    expectation: String, tolerance: Double, _ holds: (Double, Double) -> Bool
  ) -> Bool {
    var detail: String?
    if let nan = values.firstIndex(where: \.isNaN) {
      detail = "element \(nan) is NaN"
    } else if values.count > 1,
      let step = (0..<(values.count - 1)).first(where: { !holds(values[$0], values[$0 + 1]) })
    {
      detail =
        "step \(step) → \(step + 1) goes from \(formatNumber(values[step])) to \(formatNumber(values[step + 1]))"
    }
    let suffix = tolerance > 0 ? " (tolerance \(formatNumber(tolerance)))" : ""
    let summary =
      values.isEmpty
      ? "empty"
      : "\(values.count) values, \(formatNumber(values.first!)) … \(formatNumber(values.last!))"
    report(
      CheckRecord(
        label: label, expectation: expectation + suffix, value: summary, passed: detail == nil,
        detail: detail, file: file, line: line))
    return detail == nil
  }
}

func report(_ outcome: CheckRecord) {
  let channel = EventChannel.shared
  if channel.isAttached {
    channel.send(.checkFinished(outcome))
  } else {
    let verdict = outcome.passed ? "passed" : "FAILED"
    let line =
      "\(outcome.file):\(outcome.line): check \(verdict): \(outcome.label) = \(outcome.value), expected \(outcome.expectation)\n"
    FileHandle.standardError.write(Data(line.utf8))
  }
}
