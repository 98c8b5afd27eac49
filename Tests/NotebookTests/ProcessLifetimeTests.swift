import Foundation
import XCTest

/// Nothing a command starts outlives it, and a program that stops early is reported once, at
/// its own line, with no follow-on errors. Through the built binary.
final class ProcessLifetimeTests: XCTestCase {
  func testSIGINTAndSIGTERMDuringALoopingChapterLeaveNoProcessBehind() throws {
    for signalNumber in [SIGINT, SIGTERM] {
      let project = try NotebookBinary(fixtures: [])
      defer { project.remove() }
      try project.write(
        "chapters/spin.md", "---\ntitle: Spin\ntimeout: 120\n---\n\n```swift\nvar n = 0\nwhile true { n &+= 1 }\n```\n")
      let notebook = try project.start(["run", "chapters/spin.md"])
      let program = try XCTUnwrap(
        Self.waitForProcess(running: project.path(".notebook-cache/work/spin/program"), seconds: 60),
        "the chapter program never started")
      kill(notebook.processIdentifier, signalNumber)
      notebook.waitUntilExit()
      XCTAssertEqual(notebook.terminationReason, .uncaughtSignal, "signal \(signalNumber)")
      XCTAssertEqual(notebook.terminationStatus, signalNumber)
      let deadline = Date().addingTimeInterval(30)
      while Self.isAlive(program) && Date() < deadline { usleep(20_000) }
      XCTAssertFalse(Self.isAlive(program), "signal \(signalNumber): chapter program \(program) still runs")
    }
  }

  func testATimeoutKillsTheWholeProcessGroup() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    // The program starts a child of its own (in its process group, as a shell does) that would
    // otherwise outlive it.
    try project.write(
      "chapters/child.md",
      """
      ---
      title: Child
      timeout: 3
      ---

      ```swift
      let shell = popen("sleep 1234.5 & echo $!", "r")!
      var pid = [CChar](repeating: 0, count: 32)
      _ = fgets(&pid, 32, shell)
      print(String(cString: pid), terminator: "")
      while true { usleep(1000) }
      ```

      """)
    let result = try project.run(["run", "chapters/child.md"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("timeout of 3 s"), result.stderr)
    let pid = try XCTUnwrap(
      result.stdout.split(separator: "\n").compactMap { Int32($0) }.first, "no pid printed: \(result.stdout)")
    let deadline = Date().addingTimeInterval(30)
    while Self.isAlive(pid) && Date() < deadline { usleep(20_000) }
    XCTAssertFalse(Self.isAlive(pid), "the program's child \(pid) outlived the timeout")
  }

  func testTheOutputCapStopsTheProgramWithItsOwnErrorAndNoFollowOnMismatch() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write(
      "chapters/flood.md",
      """
      ---
      title: Flood
      timeout: 120
      ---

      ```swift
      print("first")
      ```

      ```output
      first
      ```

      ```swift
      let megabyte = String(repeating: "x", count: 1 << 20)
      while true { print(megabyte) }
      ```

      ```output
      nothing like this
      ```

      ```swift
      print("never")
      ```

      ```output
      never
      ```

      """)
    let result = try project.run(["check"])
    XCTAssertEqual(result.status, 1)
    let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
    XCTAssertEqual(errors, ["chapters/flood.md:14:1: error: the chapter printed more than 256 MiB and was stopped"])
  }

  func testAnUncaughtTryIsReportedAtItsLine() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write(
      "chapters/throws.md",
      """
      ---
      title: Throws
      ---

      ```swift
      struct Refused: Error {}
      func ask() throws -> Int { throw Refused() }
      let caught = try? ask()
      print("before")
      let answer = try ask()
      ```

      A library error:

      ```swift
      print("never")
      ```

      """)
    let result = try project.run(["run", "chapters/throws.md"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stdout.contains("before"), result.stdout)
    XCTAssertTrue(
      result.stderr.contains("chapters/throws.md:10:18: error: Fatal error: Error raised at top level"), result.stderr)

    // An error thrown inside the (release-built) library, at the chapter's `try`.
    try project.write(
      "chapters/throws.md",
      """
      ---
      title: Throws
      ---

      ```swift
      let wide = Matrix(rows: 2, cols: 3, repeating: 1)
      print("before")
      let product = try wide.multiplied(by: wide)
      ```

      """)
    let library = try project.run(["run", "chapters/throws.md"])
    XCTAssertTrue(library.stderr.contains("chapters/throws.md:8:"), library.stderr)
    XCTAssertTrue(library.stderr.contains("inner dimensions"), library.stderr)
  }

  func testAnUncaughtTryBelowDeepRecursionIsReportedAtTheTopLevelLine() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write(
      "chapters/deep.md",
      """
      ---
      title: Deep
      ---

      ```swift
      struct Bottom: Error {}
      func deep(_ n: Int) throws -> Int {
        if n == 0 { throw Bottom() }
        return try deep(n - 1) + 1
      }
      let depth = try deep(200)
      ```

      """)
    let result = try project.run(["run", "chapters/deep.md"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("chapters/deep.md:11:17: error: Fatal error"), result.stderr)
  }

  func testAnInlineValueErrorPointsAtItsExactColumn() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write("chapters/inline.md", "---\ntitle: Inline\n---\n\nSee `{swift}  1 + \"a\"` here.\n")
    let result = try project.run(["check"])
    XCTAssertEqual(result.status, 1)
    // `+` is the 17th byte of line 5: "See `{swift}  1 + ".
    XCTAssertTrue(result.stderr.contains("chapters/inline.md:5:17: error: binary operator '+'"), result.stderr)
  }

  func testALaTeXErrorInALabelledDisplayIsOneError() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write("chapters/label.md", "---\ntitle: Label\n---\n\n$$\\frac{1}{$$ {#eq-bad}\n\nSee @eq-bad.\n")
    let result = try project.run(["check"])
    XCTAssertEqual(result.status, 1)
    let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
    XCTAssertEqual(errors.count, 1, result.stderr)
    XCTAssertTrue(errors.first?.hasPrefix("chapters/label.md:5:1: error: LaTeX error") == true, result.stderr)
  }

  func testASaveDuringALongRunRestartsItAtOnceInThePreview() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    let looping = "---\ntitle: Spin\ntimeout: 120\n---\n\n```swift\nvar n = 0\nwhile true { n &+= 1 }\n```\n"
    try project.write("chapters/spin.md", looping)
    let serve = try project.start(["serve", "--port", "0"])
    defer {
      serve.terminate()
      serve.waitUntilExit()
    }
    let stale = try XCTUnwrap(
      Self.waitForProcess(running: project.path(".notebook-cache/work/spin/program"), seconds: 60),
      "the chapter program never started")
    let saved = Date()
    try project.write(
      "chapters/spin.md", looping.replacingOccurrences(of: "while true { n &+= 1 }", with: "print(\"fixed\")"))
    let address = try XCTUnwrap(
      project.read(".start.out")?.split(separator: "\n").first { $0.hasPrefix("serving ") }?.dropFirst(8))
    let page = try XCTUnwrap(URL(string: String(address) + "spin.html"))
    var text = ""
    while !text.contains("fixed"), Date().timeIntervalSince(saved) < 60 {
      text = (try? String(contentsOf: page, encoding: .utf8)) ?? ""
      usleep(100_000)
    }
    XCTAssertTrue(text.contains("fixed"), "the fixed chapter never showed")
    XCTAssertLessThan(Date().timeIntervalSince(saved), 20, "the preview waited for the stale run")
    XCTAssertFalse(Self.isAlive(stale), "the stale run still runs")
  }

  /// The pid of the process whose executable is `path`, once it runs.
  static func waitForProcess(running path: String, seconds: Double) -> pid_t? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
      for entry in entries {
        guard let pid = pid_t(entry),
          let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/exe")
        else { continue }
        if executable == path { return pid }
      }
      usleep(50_000)
    }
    return nil
  }

  /// Running or stopped, but not a zombie waiting to be reaped.
  static func isAlive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
  }
}
