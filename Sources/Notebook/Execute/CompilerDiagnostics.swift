import Foundation

/// Reads swiftc's LLVM-style diagnostics (`file:line:col: error: message`) into `Diagnostic`s.
///
/// Thanks to `#sourceLocation`, locations in chapter code already name the Markdown file;
/// anything that points into the generated glue is reported at the chapter's first line.
enum CompilerDiagnostics {
  static func parse(_ text: String, chapterPath: String) -> [Diagnostic] {
    var result: [Diagnostic] = []
    let pattern = #/^(.+?):(\d+):(\d+): (error|warning|note): (.*)$/#
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if let match = try? pattern.wholeMatch(in: line) {
        let file = String(match.1)
        let severity = Diagnostic.Severity(rawValue: String(match.4)) ?? .error
        let message = String(match.5)
        if severity == .note, var last = result.popLast() {
          last.details.append("\(file):\(match.2):\(match.3): note: \(message)")
          result.append(last)
          continue
        }
        let inChapter = file == chapterPath || file.hasSuffix("/" + chapterPath)
        let location =
          inChapter
          ? SourceLocation(file: chapterPath, line: Int(match.2) ?? 1, column: Int(match.3) ?? 1)
          : SourceLocation(file: chapterPath, line: 1)
        let text = inChapter ? message : "in the generated program (\(file):\(match.2)): \(message)"
        result.append(Diagnostic(severity, at: location, text))
      } else if var last = result.popLast() {
        if !line.trimmingCharacters(in: .whitespaces).isEmpty, last.details.count < 12 {
          last.details.append(String(line))
        }
        result.append(last)
      }
    }
    return result
  }
}
