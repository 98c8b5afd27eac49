import ArgumentParser
import Foundation
import Notebook
import NotebookEvents

@main
struct NotebookCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notebook",
    abstract: "Build, run and check literate Swift chapters.",
    subcommands: [Build.self, Run.self, Check.self, Serve.self, Digest.self],
    defaultSubcommand: Build.self)
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
  @Option(help: "The project root (default: the current directory).")
  var root: String?

  @Option(help: "Folder with the release-built libLatent.so (default: .build/release).")
  var libraryDir: String?

  @Flag(help: "Ignore cached results and run every chapter again.")
  var fresh = false

  @Option(help: "Chapters to run at once (default: the number of cores).")
  var jobs: Int?

  @Option(
    help: ArgumentHelp(
      "instructor (with solutions) or student (solutions removed, exercises graded).",
      discussion: "Default: student inside a student workspace or for its chapters, else instructor."))
  var edition: Edition?

  /// The engine for `chapters` (those named on the command line, if any). In a student
  /// workspace, or for chapters that live in one, the student edition is the default and the
  /// library the workspace was made with is used when the folder has no build of its own.
  func engine(for chapters: [String] = []) throws -> Engine {
    ChildProcesses.endChildrenOnTermination()
    if let root {
      guard FileManager.default.changeCurrentDirectoryPath(root) else {
        throw ValidationError("cannot enter the project root \(root)")
      }
    }
    let cwd = FileManager.default.currentDirectoryPath
    var workspace = StudentWorkspace.exists(at: cwd) ? StudentWorkspace(folder: cwd) : nil
    if workspace == nil, !chapters.isEmpty {
      let owners = chapters.map { StudentWorkspace.containing(chapter: $0.hasPrefix("/") ? $0 : cwd + "/" + $0) }
      if let first = owners.first ?? nil, owners.allSatisfy({ $0?.folder == first.folder }) { workspace = first }
    }
    var library = libraryDir
    if library == nil, !FileManager.default.fileExists(atPath: cwd + "/.build/release/" + Toolchain.libraryName) {
      library = workspace?.libraryDirectory
    }
    let edition = self.edition ?? (workspace == nil ? .instructor : .student)
    do {
      return try Engine(root: cwd, libraryDirectory: library, fresh: fresh, jobs: jobs, edition: edition)
    } catch let error as ToolchainError {
      throw failure(error.description)
    }
  }

  /// The chapters named on the command line, or all of `chapters/*.md`.
  func chapters(_ given: [String], root: String) throws -> [String] {
    let paths = given.isEmpty ? Engine.defaultChapters(root: root) : given
    guard !paths.isEmpty else { throw failure("no chapters found in chapters/") }
    return paths
  }

  /// KaTeX and highlight.js under node, or the packages to install.
  func renderer() throws -> NodeRenderer {
    do {
      return try NodeRenderer.locate()
    } catch let error as ToolchainError {
      throw failure(error.description)
    }
  }
}

/// Prints `notebook: error: message` on stderr and returns the exit status to throw.
func failure(_ message: String) -> ExitCode {
  FileHandle.standardError.write(Data("notebook: error: \(message)\n".utf8))
  return ExitCode.failure
}

/// Writes to stderr, where progress and diagnostics go.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension Edition: ExpressibleByArgument {}

/// Prints the digest that hides an exercise's answer, for `grade(..., answer:)`.
struct Digest: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the digest of an exercise's answer for grade(ID, value, digits:, answer:).",
    usage: "notebook digest <exercise> <value> [--digits <digits>]")

  @Argument(help: "The exercise identifier.")
  var exercise: String

  // Collects what the parser does not recognize, so a negative answer (`-1.5`) needs no `--`.
  @Argument(parsing: .allUnrecognized, help: "The answer, a finite number (negative ones too: -1.5).")
  var value: [String] = []

  @Option(help: "Significant digits that must agree (1 to 17).")
  var digits = 4

  /// The answer as written (`--`, which a negative answer used to need, is still accepted).
  private var written: [String] { value.filter { $0 != "--" } }

  func validate() throws {
    guard written.count == 1, let text = written.first else {
      throw ValidationError(
        written.isEmpty
          ? "give the answer after the exercise identifier"
          : "give one answer, not \(written.count) arguments: \(written.joined(separator: " "))")
    }
    guard let number = Double(text) else { throw ValidationError("the answer '\(text)' is not a number") }
    guard number.isFinite else {
      throw ValidationError("the answer '\(text)' is not a finite number; grade() never matches it")
    }
    guard (1...17).contains(digits) else {
      throw ValidationError("--digits must be between 1 and 17 (a Double has 17 significant digits), not \(digits)")
    }
  }

  func run() {
    print(AnswerDigest.answer(exercise: exercise, value: Double(written[0])!, digits: digits))
  }
}
