/// A chapter turned into one Swift program: its runnable cells in order as top-level code
/// (so state is shared), and each inline expression after the cell that precedes it.
///
/// Every unit is preceded by `#sourceLocation` naming the Markdown file and line, so compiler
/// errors, traps and `check` calls point at the chapter, not at the generated file.
public struct ChapterProgram: Sendable, Equatable {
  /// A piece of chapter code placed in the program: a cell or an inline expression.
  public struct Unit: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case cell, expression }
    public var kind: Kind
    public var index: Int
    /// First Markdown line of the code and how many lines it spans.
    public var line: Int
    public var lineCount: Int
  }

  public var source: String
  public var units: [Unit]
  /// The program with line directives left out: equal for chapters whose code is equal,
  /// whatever prose surrounds it. The cache keys on this.
  public var codeIdentity: String

  /// Expressions further right than this column keep the compiler's columns, not the chapter's.
  static let widestPadding = 1000

  public init(chapter: Chapter) {
    let file = chapter.path.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    var lines = ["import Foundation", "import Latent", "import NotebookRuntime", ""]
    var identity: [String] = []
    var units: [Unit] = []
    let runnable = chapter.cells.filter(\.runs)
    let expressionsAfter = Dictionary(grouping: chapter.expressions, by: \.afterCellCount)

    func appendExpressions(after count: Int) {
      for expression in expressionsAfter[count] ?? [] {
        lines.append("NotebookHooks.inline(\(expression.index), {")
        lines.append("#sourceLocation(file: \"\(file)\", line: \(expression.line))")
        // Pad so compiler columns match the Markdown column of the expression text (up to a
        // point: thousands of expressions on one long line would each pad to its length).
        let column = expression.column - 1
        let pad = String(repeating: " ", count: column <= Self.widestPadding ? max(0, column) : 0)
        lines.append(pad + expression.source)
        lines.append("#sourceLocation()")
        lines.append("}())")
        identity.append("expression \(expression.index): \(expression.source)")
        units.append(Unit(kind: .expression, index: expression.index, line: expression.line, lineCount: 1))
      }
    }

    appendExpressions(after: 0)
    for (position, cell) in runnable.enumerated() {
      lines.append("NotebookHooks.enterBlock(\(cell.index))")
      lines.append("#sourceLocation(file: \"\(file)\", line: \(cell.codeLine))")
      lines.append(cell.code)
      lines.append("#sourceLocation()")
      identity.append("cell \(cell.index)\n\(cell.code)")
      units.append(Unit(kind: .cell, index: cell.index, line: cell.codeLine, lineCount: max(cell.lineCount, 1)))
      appendExpressions(after: position + 1)
    }
    lines.append("NotebookHooks.finish()")
    source = lines.joined(separator: "\n") + "\n"
    // The cell count too: results hold one entry per cell, shown or run.
    codeIdentity =
      "file \(chapter.path)\ncells \(chapter.cells.count)\n" + identity.joined(separator: "\n---\n")
    self.units = units
  }
}
