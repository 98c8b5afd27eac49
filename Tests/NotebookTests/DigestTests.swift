import Foundation
import XCTest

/// `notebook digest` through the built binary. The expected digests are SHA-256 of `ID|value`
/// with the value as printf's `%.{digits-1}e` writes it, and of `ID|B|centre` with the centre of
/// the value's cell on the half-unit-offset grid (worked out by hand below), computed by
/// coreutils' `sha256sum`.
final class DigestTests: XCTestCase {
  private func digest(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: NotebookBinary.executable)
    process.arguments = ["digest"] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, stdout, stderr)
  }

  func testANegativeAnswerNeedsNoDoubleDash() throws {
    // Offset grid at 3 digits: unit 0.01, cell [-1.50, -1.49), centre -1.495.
    let expected = try sha256("my-ex|-1.50e+00") + " " + sha256("my-ex|B|-1.495e+00") + "\n"
    for arguments in [
      ["my-ex", "-1.5", "--digits", "3"], ["my-ex", "--digits", "3", "-1.5"], ["my-ex", "--digits", "3", "--", "-1.5"],
    ] {
      let result = try digest(arguments)
      XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
      XCTAssertEqual(result.stdout, expected, "\(arguments)")
    }
    let fourDigits = try sha256("my-ex|-1.500e+00") + " " + sha256("my-ex|B|-1.4995e+00") + "\n"
    XCTAssertEqual(try digest(["my-ex", "-1.5"]).stdout, fourDigits, "four digits by default")
  }

  func testAnAnswerThatIsNotAFiniteNumberIsRefused() throws {
    for value in ["nan", "-nan", "inf", "-inf", "1e400"] {
      let result = try digest(["my-ex", value])
      XCTAssertNotEqual(result.status, 0, value)
      XCTAssertEqual(result.stdout, "", value)
      XCTAssertTrue(
        result.stderr.contains("the answer '\(value)' is not a finite number"), "\(value): \(result.stderr)")
    }
    let words = try digest(["my-ex", "abc"])
    XCTAssertNotEqual(words.status, 0)
    XCTAssertTrue(words.stderr.contains("the answer 'abc' is not a number"), words.stderr)
    let two = try digest(["my-ex", "1", "2"])
    XCTAssertNotEqual(two.status, 0)
    XCTAssertTrue(two.stderr.contains("give one answer, not 2 arguments: 1 2"), two.stderr)
  }

  func testDigitsOutsideOneToSeventeenAreRefused() throws {
    for digits in ["0", "-1", "18"] {
      let result = try digest(["my-ex", "1.5", "--digits=\(digits)"])
      XCTAssertNotEqual(result.status, 0, digits)
      XCTAssertEqual(result.stdout, "", digits)
      XCTAssertTrue(result.stderr.contains("--digits must be between 1 and 17"), "\(digits): \(result.stderr)")
    }
    // One digit is the least: my-ex|2e+00 (1.5 rounds to even in printf's %.0e).
    let one = try digest(["my-ex", "1.5", "--digits", "1"])
    XCTAssertEqual(one.stdout, "\(try sha256("my-ex|2e+00")) \(try sha256("my-ex|B|1.5e+00"))\n")
  }

  /// SHA-256 by coreutils, the reference.
  private func sha256(_ text: String) throws -> String { try NotebookBinary.sha256sum(text) }
}
