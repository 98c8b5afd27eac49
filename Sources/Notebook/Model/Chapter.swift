/// A parsed chapter: front matter, the Markdown tree, and the code it will run.
///
/// Every stage after parsing reads this value; none of them touches cmark.
public struct Chapter: Sendable {
  /// The path as given on the command line (relative to the project), used in diagnostics.
  public var path: String
  public var frontMatter: FrontMatter
  public var blocks: [MarkdownBlock]
  /// Fenced `swift` blocks in document order; `MarkdownBlock.cell(i)` refers to `cells[i]`.
  public var cells: [Cell]
  /// Inline `{swift} expr` spans in document order; `Inline.expression(i)` refers to `expressions[i]`.
  public var expressions: [InlineExpression]
  /// The edition this chapter was parsed for.
  public var edition: Edition = .instructor
  /// The Markdown source as parsed (line endings normalized), for locating columns in prose.
  public var source: String = ""

  /// Exercise identifiers in document order.
  public var exercises: [String] {
    var seen: [String] = []
    for cell in cells where cell.mode == .exercise {
      if let id = cell.exercise, !seen.contains(id) { seen.append(id) }
    }
    return seen
  }

  /// The file name without folder or `.md`, e.g. `04-elbo`: names the page, scratch folder
  /// and cache entries.
  public var stem: String { Chapter.stem(of: path) }

  /// The page's file name in the site, e.g. `04-elbo.html`.
  public var pageName: String { stem + ".html" }

  /// The text of the last heading above `line`, if any.
  public func section(before line: Int) -> String? {
    var found: String?
    for case .heading(_, let inlines, let headingLine) in blocks where headingLine < line {
      found = inlines.plainText
    }
    return found
  }

  /// The stem of a chapter path.
  public static func stem(of path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    return file.hasSuffix(".md") ? String(file.dropLast(3)) : file
  }
}

/// Chapter settings from the YAML front matter.
public struct FrontMatter: Sendable, Equatable, Codable {
  public var title: String
  public var summary: String?
  /// Seconds the chapter program may run before it is stopped.
  public var timeout: Double
  /// Seed for the chapter's random numbers, passed to the program.
  public var seed: UInt64

  public static let defaultTimeout: Double = 300

  public init(title: String, summary: String? = nil, timeout: Double = defaultTimeout, seed: UInt64 = 0) {
    self.title = title
    self.summary = summary
    self.timeout = timeout
    self.seed = seed
  }
}

/// Which version of the course is built: the instructor's, with exercise solutions, or the
/// students', where solution blocks are removed and the exercise stubs run instead.
public enum Edition: String, Sendable, Codable, CaseIterable {
  case instructor, student
}

/// A fenced `swift` block and the expectations attached to it.
public struct Cell: Sendable, Equatable {
  public enum Mode: String, Sendable, Equatable {
    /// Shown and run (```` ```swift ````).
    case run
    /// Run but folded away: setup code (```` ```swift hide ````).
    case hidden
    /// Shown but not run: illustrative code (```` ```swift norun ````).
    case display
    /// An exercise's stub (```` ```swift exercise=ID ````): run in the student edition; in the
    /// instructor edition shown but not run, since its solution runs in its place.
    case exercise
    /// An exercise's solution (```` ```swift solution=ID ````): run and shown folded in the
    /// instructor edition, absent from the student edition.
    case solution
  }

  public var index: Int
  public var mode: Mode
  public var code: String
  /// Line of the opening fence.
  public var fenceLine: Int
  /// The exercise this block belongs to (stub or solution), if any.
  public var exercise: String?
  /// Whether the engine runs this block in the edition it was parsed for.
  public var runs: Bool
  /// Line of the first line of code (fence line + 1).
  public var codeLine: Int { fenceLine + 1 }
  /// Number of code lines.
  public var lineCount: Int {
    code.isEmpty ? 0 : code.split(separator: "\n", omittingEmptySubsequences: false).count
  }
  /// The ```` ```output ```` block right after this one, if any.
  public var expectedOutput: ExpectedOutput?

  public init(
    index: Int, mode: Mode, code: String, fenceLine: Int, exercise: String? = nil, runs: Bool? = nil,
    expectedOutput: ExpectedOutput? = nil
  ) {
    self.index = index
    self.mode = mode
    self.code = code
    self.fenceLine = fenceLine
    self.exercise = exercise
    self.runs = runs ?? (mode != .display)
    self.expectedOutput = expectedOutput
  }
}

/// What a block must print, compared number by number.
public struct ExpectedOutput: Sendable, Equatable {
  public var text: String
  /// Relative tolerance for numbers (default 1e-9).
  public var tolerance: Double
  /// Absolute tolerance floor for numbers near zero (default 0).
  public var absoluteTolerance: Double
  public var fenceLine: Int
  /// The block's last line in the file: its closing fence, or its last line of text when the
  /// fence is never closed (a difference past the expected text is reported here).
  public var lastLine: Int

  public static let defaultTolerance = 1e-9
}

/// A prose expression such as `` `{swift} kl` ``, evaluated after the code that precedes it.
public struct InlineExpression: Sendable, Equatable {
  public var index: Int
  public var source: String
  public var line: Int
  /// Column (in bytes, as compilers count) of the expression's first character.
  public var column: Int
  /// Number of runnable cells before this expression in the document.
  public var afterCellCount: Int
}

/// A block-level Markdown node, with source lines kept for diagnostics.
public indirect enum MarkdownBlock: Sendable, Equatable {
  case paragraph([Inline], line: Int)
  case heading(level: Int, [Inline], line: Int)
  case blockQuote([MarkdownBlock])
  case list(ordered: Bool, start: Int, tight: Bool, items: [[MarkdownBlock]])
  /// A code block in another language, shown as code: `text` is cmark's literal, whose last line
  /// ends in a line break as on the page.
  case code(language: String, text: String, line: Int)
  /// Raw HTML, as written from its first line `line`.
  case html(String, line: Int)
  case thematicBreak
  /// A notebook cell: `chapter.cells[index]`.
  case cell(Int)
}

/// An inline Markdown node.
public indirect enum Inline: Sendable, Equatable {
  case text(String)
  /// A code span; `lineBreaks` counts the line endings in its source, which the text shows as spaces.
  case code(String, lineBreaks: Int = 0)
  case softBreak
  case lineBreak
  case emphasis([Inline])
  case strong([Inline])
  case link(destination: String, title: String, [Inline])
  case image(source: String, title: String, alt: [Inline])
  case html(String)
  /// TeX between `$...$` (display false) or `$$...$$` (display true); a display may carry a
  /// label written after it as `$$ ... $$ {#eq-name}`, which numbers it.
  case math(tex: String, display: Bool, line: Int, label: String? = nil)
  /// An inline computed value: `chapter.expressions[index]`, from a code span over `lineBreaks`
  /// line endings.
  case expression(Int, lineBreaks: Int = 0)
  /// A number or text the author marked as deliberately typed, `` `{literal} 1.618` ``: shown as
  /// plain text, and not reported as a number that should have been computed.
  case literal(String, lineBreaks: Int = 0)
  /// A citation as written, `[@key]` or `@key`, split out of the text by Resolve (the parser
  /// leaves it in `.text`); pandoc formats it (`Citations`).
  case citation(String)
  /// `@eq-name`, `@fig-name` or `@tbl-name` as written, split out of the text by Resolve, with
  /// its link text and anchor, or nil for an unknown label.
  case crossReference(String, resolved: CrossReference?)
}

/// What a cross-reference shows and where it leads: `Equation (2)` and `eq-elbo`.
public struct CrossReference: Sendable, Equatable {
  public var text: String
  public var anchor: String
}

extension Inline {
  /// Line endings inside the source of this leaf node that are not line breaks of the text: the
  /// lines of a display formula, a code span or an HTML tag written over several lines. (A link's
  /// title, after its text, is counted by whoever walks the text.)
  var spannedLineBreaks: Int {
    switch self {
    case .math(let tex, _, _, _): return tex.lineBreakCount
    case .code(_, let lineBreaks), .expression(_, let lineBreaks), .literal(_, let lineBreaks): return lineBreaks
    case .html(let raw): return raw.lineBreakCount
    default: return 0
    }
  }
}

extension String {
  /// The number of "\n" in the text (the parser has made every line ending one).
  var lineBreakCount: Int { utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } }

  /// The text without its last "\n", if it ends in one: a code block's lines, as highlighted.
  var withoutFinalLineBreak: String { hasSuffix("\n") ? String(dropLast()) : self }
}
