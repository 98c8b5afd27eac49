import Foundation

/// Finds the Markdown line of the `try` that let an error escape a chapter's top-level code.
///
/// The program's runtime (`ThrowSite` in NotebookRuntime) writes the offsets of its own frames
/// at the last `throw`; `llvm-symbolizer`, which ships with the Swift toolchain, reads the
/// program's debug information and names each frame's `file:line:col`. The outermost frame in
/// the chapter is the top-level statement whose `try` did not catch.
struct ThrowSiteLocator {
  var symbolizer: String

  /// `llvm-symbolizer` beside `swiftc`, or on the `PATH`.
  init?(swiftc: String) {
    let folder = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().deletingLastPathComponent().path
    if FileManager.default.isExecutableFile(atPath: folder + "/llvm-symbolizer") {
      symbolizer = folder + "/llvm-symbolizer"
    } else if let found = Toolchain.which("llvm-symbolizer") {
      symbolizer = found
    } else {
      return nil
    }
  }

  /// The line and column of the outermost frame in `chapterPath`, if any.
  func locate(offsetsFile: String, program: String, chapterPath: String, scratch: String) -> (
    line: Int, column: Int
  )? {
    guard let text = try? String(contentsOfFile: offsetsFile, encoding: .utf8) else { return nil }
    let offsets = text.split(whereSeparator: \.isWhitespace).filter { $0.count == 16 && $0.allSatisfy(\.isHexDigit) }
      .map { "0x" + $0 }
    guard !offsets.isEmpty else { return nil }
    let output = scratch + "/symbolizer.out"
    guard
      let outcome = try? ProcessRunner.run(
        symbolizer, arguments: ["--obj=" + program, "--no-inlines"] + offsets, environment: [:],
        workingDirectory: scratch, stdout: output, stderr: scratch + "/symbolizer.err", timeout: 30),
      outcome.termination == .exited(0),
      let symbolized = try? String(contentsOfFile: output, encoding: .utf8)
    else { return nil }
    return Self.outermost(in: symbolized, chapterPath: chapterPath)
  }

  /// The last `path:line:col` line naming the chapter in llvm-symbolizer's output.
  static func outermost(in symbolized: String, chapterPath: String) -> (line: Int, column: Int)? {
    var found: (line: Int, column: Int)?
    for line in symbolized.split(separator: "\n") {
      let parts = line.split(separator: ":")
      guard parts.count >= 3, let row = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]),
        row > 0
      else { continue }
      let file = parts.dropLast(2).joined(separator: ":")
      if file == chapterPath || file.hasSuffix("/" + chapterPath) { found = (row, max(column, 1)) }
    }
    return found
  }
}
