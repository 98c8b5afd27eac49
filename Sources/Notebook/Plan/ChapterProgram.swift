import Foundation
import NotebookEvents

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
  /// The identity of the code a checkpoint after each runnable block depends on: the blocks and
  /// inline expressions up to it.
  public var identityPrefixes: [String]
  /// Runnable blocks after which the program may save a checkpoint, by position.
  public var checkpointPositions: [Int]
  /// The program with line directives left out: equal for chapters whose code is equal,
  /// whatever prose surrounds it. The cache keys on this.
  ///
  /// The identity names the chapter's file but not its folder: a copy of the chapter elsewhere
  /// in the course (the student edition's `student/chapters/`) shares its results and
  /// checkpoints, which name the other copy's path until they are moved
  /// (`ChapterResult.moveFile`).
  public var codeIdentity: String

  /// Expressions further right than this column keep the compiler's columns, not the chapter's.
  static let widestPadding = 1000

  /// Where a resumed program starts: after runnable block `position`, with the saved values'
  /// types (`String(reflecting:)` in the program that saved them).
  public struct Resume: Sendable, Equatable {
    public var position: Int
    public var types: [String: String]
    public init(position: Int, types: [String: String]) {
      self.position = position
      self.types = types
    }
  }

  /// The program for `chapter`. With an `outline`, it saves checkpoints after blocks; with a
  /// `resume` point too, it restores the values of the blocks up to that point instead of
  /// running them (nil if a value's type cannot be written in Swift).
  public init?(chapter: Chapter, outline: ProgramOutline?, resume: Resume) {
    self.init(chapter: chapter, outline: outline, resumeAt: resume)
    if source.isEmpty { return nil }
  }

  public init(chapter: Chapter, outline: ProgramOutline? = nil) {
    self.init(chapter: chapter, outline: outline, resumeAt: nil)
  }

  private init(chapter: Chapter, outline: ProgramOutline?, resumeAt resume: Resume?) {
    let file = chapter.path.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    var lines = ["import Foundation", "import Latent", "import \(RuntimeHook.module)", ""]
    var identity: [String] = []
    var units: [Unit] = []
    let runnable = chapter.cells.filter(\.runs)
    let expressionsAfter = Dictionary(grouping: chapter.expressions, by: \.afterCellCount)

    func appendExpressions(after count: Int, emit: Bool = true) {
      for expression in expressionsAfter[count] ?? [] {
        identity.append("expression \(expression.index): \(expression.source)")
        units.append(Unit(kind: .expression, index: expression.index, line: expression.line, lineCount: 1))
        guard emit else { continue }
        lines.append("\(RuntimeHook.inline.qualifiedName)(\(expression.index), {")
        lines.append("#sourceLocation(file: \"\(file)\", line: \(expression.line))")
        // Pad so compiler columns match the Markdown column of the expression text (up to a
        // point: thousands of expressions on one long line would each pad to its length).
        let column = expression.column - 1
        let pad = String(repeating: " ", count: column <= Self.widestPadding ? max(0, column) : 0)
        lines.append(pad + expression.source)
        lines.append("#sourceLocation()")
        lines.append("}())")
      }
    }

    // The cell count too: results hold one entry per cell, shown or run.
    let fileName = chapter.stem
    let header = "file \(fileName)\ncells \(chapter.cells.count)\n"
    var prefixes: [String] = []
    var positions: [Int] = []
    var restorable = true
    let resumed = resume?.position ?? -1

    appendExpressions(after: 0, emit: resumed < 0)
    for (position, cell) in runnable.enumerated() {
      if position <= resumed, let outline, let resume {
        // Already run: keep its declarations, restore its values.
        let codeLines = cell.code.split(separator: "\n", omittingEmptySubsequences: false)
        for item in outline.blocks[position] {
          switch item {
          case .declaration(let first, let last):
            lines.append("#sourceLocation(file: \"\(file)\", line: \(cell.codeLine + first))")
            lines += codeLines[first...min(last, codeLines.count - 1)].map(String.init)
            lines.append("#sourceLocation()")
          case .binding(let variables):
            for variable in variables {
              guard let type = resume.types[variable.name].flatMap(Self.spelling) else {
                restorable = false
                continue
              }
              lines.append("#sourceLocation(file: \"\(file)\", line: \(variable.line))")
              lines.append(
                "\(variable.isLet ? "let" : "var") \(variable.name): \(type) = "
                  + "\(RuntimeHook.restore.qualifiedName)(\"\(variable.name)\")"
              )
              lines.append("#sourceLocation()")
            }
          case .statement: break
          }
        }
      } else {
        lines.append("\(RuntimeHook.enterBlock.qualifiedName)(\(cell.index))")
        lines.append("#sourceLocation(file: \"\(file)\", line: \(cell.codeLine))")
        lines.append(cell.code)
        lines.append("#sourceLocation()")
      }
      identity.append("cell \(cell.index)\n\(cell.code)")
      units.append(Unit(kind: .cell, index: cell.index, line: cell.codeLine, lineCount: max(cell.lineCount, 1)))
      appendExpressions(after: position + 1, emit: position > resumed)
      // Without the cell count: the blocks before the first exercise are the same code in both
      // editions, so the student edition resumes from the instructor's checkpoints.
      prefixes.append("file \(fileName)\n" + identity.joined(separator: "\n---\n"))
      if let outline, position < outline.savableBlocks, position + 1 < runnable.count, position > resumed {
        let variables = outline.variables(through: position)
        let names = variables.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let values = variables.map { ", " + $0.name }.joined()
        lines.append("\(RuntimeHook.checkpoint.qualifiedName)(after: \(cell.index), [\(names)]\(values))")
        positions.append(position)
      }
    }
    lines.append("\(RuntimeHook.finish.qualifiedName)()")
    source = restorable ? lines.joined(separator: "\n") + "\n" : ""
    codeIdentity = header + identity.joined(separator: "\n---\n")
    identityPrefixes = prefixes
    checkpointPositions = positions
    self.units = units
  }

  /// A saved type as the resumed program writes it: nil for a type Swift cannot name (one
  /// declared inside a function). Types the chapter declares are spelled `program.Name`, which
  /// the resumed program, compiled as `program` too, resolves.
  static func spelling(_ reflected: String) -> String? {
    guard !reflected.contains("unknown context"), !reflected.contains("<<") else { return nil }
    return reflected
  }

}
