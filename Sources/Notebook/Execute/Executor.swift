import Foundation
import NotebookEvents

/// Compiles a chapter program, runs it under its timeout, and collects what each block
/// printed, displayed and checked. It never writes HTML.
public struct Executor: Sendable {
  public var toolchain: Toolchain
  /// The project root: programs run here, so `chapters/data/...` paths work.
  public var workingDirectory: String
  /// Scratch space for generated sources, binaries and raw outputs.
  public var scratchDirectory: String

  /// Largest output shown per block; the rest is cut with a notice.
  public static let displayedOutputLimit = 200_000

  public init(toolchain: Toolchain, workingDirectory: String, scratchDirectory: String) {
    self.toolchain = toolchain
    self.workingDirectory = workingDirectory
    self.scratchDirectory = scratchDirectory
  }

  /// Environment that changes the numbers a program prints; part of the cache key.
  public static func numericEnvironment() -> [String: String] {
    var environment: [String: String] = [:]
    let inherited = ProcessInfo.processInfo.environment
    for key in [
      "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "LATENT_THREADS", "LATENT_DATA_DIR", "LATENT_FASHION_MNIST_DIR",
    ] {
      if let value = inherited[key] { environment[key] = value }
    }
    if environment["OPENBLAS_CORETYPE"] == nil, CPU.hasAVX512 {
      // Debian's OpenBLAS 0.3.21 picks Haswell kernels on this CPU; SkylakeX is 1.8x faster.
      environment["OPENBLAS_CORETYPE"] = "SkylakeX"
    }
    return environment
  }

  /// The compiler's module cache. Its precompiled modules record absolute paths, so a course
  /// folder that was copied or moved would trip over the old folder's cache ("compiled with
  /// module cache path …"); the folder's path and the library's are part of its name.
  /// `NOTEBOOK_MODULE_CACHE` names a folder outside the course instead, shared by every course
  /// built against the same library (the tests' scratch courses share one, so each does not
  /// spend seconds precompiling the system's modules again); the library's path still names it.
  var moduleCacheDirectory: String {
    let scratch = URL(fileURLWithPath: scratchDirectory).standardizedFileURL.path
    let hasher = SHA256Digest()
    if let shared = ProcessInfo.processInfo.environment[Self.sharedModuleCacheVariable], !shared.isEmpty {
      hasher.update(toolchain.libraryDirectory)
      return URL(fileURLWithPath: shared).standardizedFileURL.path + "/module-cache-" + hasher.hexDigest().prefix(16)
    }
    hasher.update(scratch + "\n" + toolchain.libraryDirectory)
    return scratch + "/module-cache-" + hasher.hexDigest().prefix(16)
  }

  /// The environment variable naming a module cache folder shared by several courses.
  public static let sharedModuleCacheVariable = "NOTEBOOK_MODULE_CACHE"

  /// Compiles and runs `program`. With a checkpoint store, the program saves its top-level
  /// values after heavy blocks, and (`resume`) a run starts after the latest checkpoint that
  /// is still valid for this code, falling back to the whole program whenever that fails.
  /// `cancellation` stops it from outside (the result then says so and is not reproducible, so
  /// it is never cached).
  public func execute(
    _ chapter: Chapter, program: ChapterProgram, cancellation: RunCancellation? = nil,
    checkpoints: CheckpointStore? = nil, environmentDigest: String = "", resume: Bool = false
  ) -> ChapterResult {
    var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
    let stem = chapter.stem
    let folder = URL(fileURLWithPath: scratchDirectory).appendingPathComponent(stem)
    let figures = folder.appendingPathComponent("figures")
    let manager = FileManager.default
    // One run of a chapter at a time in its scratch folder, across processes (build, serve, run).
    try? manager.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
    let lock = open(scratchDirectory + "/\(stem).lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    if lock >= 0 { flock(lock, LOCK_EX) }
    defer { if lock >= 0 { close(lock) } }
    try? manager.removeItem(at: folder)
    let chapterStart = SourceLocation(file: chapter.path, line: 1)

    // The programs to try, best first: resumed, then with checkpoints, then as written.
    var attempts: [(program: ChapterProgram, resume: CheckpointStore.Entry?)] = []
    var notes: [Diagnostic] = []
    var unresumable: CheckpointStore.Entry?
    let outline =
      checkpoints == nil ? nil : ProgramOutline.make(chapter, swiftc: toolchain.swiftc, scratch: folder.path)
    if let checkpoints, let outline {
      let instrumented = ChapterProgram(chapter: chapter, outline: outline)
      let found =
        resume
        ? checkpoints.latest(for: chapter, program: instrumented, environmentDigest: environmentDigest)
        : (entry: nil, problems: [])
      notes += found.problems.map { Diagnostic(.warning, at: chapterStart, $0 + "; ran from the start") }
      if let entry = found.entry,
        let resumed = ChapterProgram(
          chapter: chapter, outline: outline,
          resume: .init(
            position: entry.position,
            types: Dictionary(entry.manifest.variables.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })))
      {
        attempts.append((resumed, entry))
      }
      attempts.append((instrumented, nil))
    }
    attempts.append((program, nil))

    do {
      try manager.createDirectory(at: figures, withIntermediateDirectories: true)
      for (number, attempt) in attempts.enumerated() {
        let isLast = number == attempts.count - 1
        let main = folder.appendingPathComponent("main.swift")
        try attempt.program.source.write(to: main, atomically: true, encoding: .utf8)

        // Compile.
        let executable = folder.appendingPathComponent("program").path
        let compile = try ProcessRunner.run(
          toolchain.swiftc,
          arguments: ["-diagnostic-style", "llvm"]
            + toolchain.compileArguments(
              main: main.path, executable: executable,
              moduleCache: moduleCacheDirectory),
          environment: ProcessInfo.processInfo.environment, workingDirectory: workingDirectory,
          stdout: folder.appendingPathComponent("compile.out").path,
          stderr: folder.appendingPathComponent("compile.err").path, timeout: 600, cancellation: cancellation)
        result.compileSeconds += compile.seconds
        if compile.termination == .cancelled {
          result.diagnostics = [Diagnostic(at: chapterStart, "the run was cancelled")]
          return result
        }
        let compilerText =
          (try? String(contentsOf: folder.appendingPathComponent("compile.err"), encoding: .utf8)) ?? ""
        let compilerDiagnostics = CompilerDiagnostics.parse(compilerText, chapterPath: chapter.path)
        guard compile.termination == .exited(0) else {
          let errors = compilerDiagnostics.filter { $0.severity == .error }
          let inChapter = !errors.isEmpty && !errors.contains { $0.message.hasPrefix("in the generated program") }
          if let entry = attempt.resume {
            // Errors only in the blocks that run again are the chapter's own (a student's typo):
            // reported as the whole program would report them, without compiling it.
            let resumedCell = chapter.cells[entry.prefix.cell]
            let suffixStart = resumedCell.codeLine + resumedCell.lineCount
            if !(inChapter && errors.allSatisfy({ $0.location.line >= suffixStart })) {
              // Something the outline cannot restore (a value declared by a top-level `guard`):
              // once the whole program compiles, this checkpoint is not tried again.
              unresumable = entry
              let first = errors.first.map { ": \($0.location): \($0.message)" } ?? ""
              notes.append(
                Diagnostic(
                  .note, at: chapterStart,
                  "could not resume after line \(resumedCell.fenceLine)\(first); ran from the start"))
              continue
            }
          } else if !isLast && !inChapter {
            // The checkpoint calls themselves did not compile: run the chapter without them.
            continue
          }
          result.diagnostics =
            errors.isEmpty
            ? [Diagnostic(at: chapterStart, "the chapter program did not compile", details: [compilerText])]
            : errors
          return result
        }

        if let entry = unresumable, attempt.resume == nil { checkpoints?.markUnresumable(entry) }

        // Run.
        let eventsPath = folder.appendingPathComponent("events.jsonl").path
        let staging = folder.appendingPathComponent("checkpoints").path
        try? manager.removeItem(atPath: eventsPath)
        try? manager.removeItem(atPath: staging)
        var environment = ProcessInfo.processInfo.environment
        environment.merge(Self.numericEnvironment()) { _, new in new }
        environment[RuntimeEnvironment.eventsPath] = eventsPath
        environment[RuntimeEnvironment.figuresDirectory] = figures.path
        environment[RuntimeEnvironment.seed] = String(chapter.frontMatter.seed)
        environment[RuntimeEnvironment.throwSitePath] = folder.appendingPathComponent("throw-site").path
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,symbolicate=full"
        if let checkpoints, attempt.program != program {
          environment[RuntimeEnvironment.checkpointBlobDirectory] = checkpoints.blobDirectory
          if (try? manager.createDirectory(atPath: staging, withIntermediateDirectories: true)) != nil,
            (try? manager.createDirectory(atPath: checkpoints.blobDirectory, withIntermediateDirectories: true)) != nil,
            access(checkpoints.blobDirectory, W_OK) == 0
          {
            environment[RuntimeEnvironment.checkpointDirectory] = staging
          } else {
            notes.append(
              Diagnostic(
                .warning, at: chapterStart, "cannot write checkpoints to \(checkpoints.directory); running without them"
              ))
          }
          if let entry = attempt.resume { environment[RuntimeEnvironment.resumeState] = entry.statePath }
        }
        let stdoutPath = folder.appendingPathComponent("stdout").path
        let stderrPath = folder.appendingPathComponent("stderr").path
        let run = try ProcessRunner.run(
          executable, environment: environment, workingDirectory: workingDirectory,
          stdout: stdoutPath, stderr: stderrPath, timeout: chapter.frontMatter.timeout, cancellation: cancellation)
        if let entry = attempt.resume, run.termination == .exited(RuntimeEnvironment.resumeFailureStatus) {
          let reason =
            (try? String(contentsOfFile: stderrPath, encoding: .utf8))?
            .split(separator: "\n").last { $0.contains("cannot resume") } ?? "it could not be read"
          notes.append(
            Diagnostic(
              .warning, at: chapterStart,
              "ignored the checkpoint after line \(chapter.cells[entry.prefix.cell].fenceLine) "
                + "(\(reason.replacingOccurrences(of: "notebook: ", with: ""))); ran from the start"))
          try? manager.removeItem(atPath: entry.folder)
          result.runSeconds += run.seconds
          continue
        }
        result.runSeconds += run.seconds
        if let entry = attempt.resume, let checkpoints {
          let kept = result.compileSeconds
          result = checkpoints.prefixResult(entry, program: program, chapter: chapter)
          result.compileSeconds = kept
          result.runSeconds = run.seconds
          let fence = chapter.cells[entry.prefix.cell].fenceLine
          result.resumed = Resumption(
            line: fence, section: chapter.section(before: fence), skippedSeconds: entry.prefix.elapsedSeconds,
            restoreSeconds: 0)
        }
        // Warnings: those of the blocks a resumed run skipped came with its checkpoint (the
        // prefix result's diagnostics); the compiler's count only for the blocks that ran.
        let warnings = compilerDiagnostics.filter { $0.severity == .warning }
        if let entry = attempt.resume {
          let skipped = result.diagnostics
          let cell = chapter.cells[entry.prefix.cell]
          result.diagnostics =
            skipped
            + warnings.filter { warning in
              warning.location.line >= cell.codeLine + cell.lineCount
                && !skipped.contains { $0.location.line == warning.location.line }
            }
        } else {
          result.diagnostics = warnings
        }
        let (events, unreadable) = Self.readEvents(eventsPath)
        if unreadable > 0 {
          result.diagnostics.append(
            Diagnostic(
              at: SourceLocation(file: chapter.path, line: 1),
              "\(unreadable) record(s) of the chapter program's event log could not be read: a check, figure or "
                + "inline value may be missing; run it again with --fresh"))
        }
        collect(
          into: &result, chapter: chapter, events: events, figures: figures.path, stdout: stdoutPath,
          stderr: stderrPath, termination: run.termination)
        if let escaped = result.diagnostics.indices.last,
          result.diagnostics[escaped].message.contains("Error raised at top level"),
          let site = ThrowSiteLocator(swiftc: toolchain.swiftc)?.locate(
            offsetsFile: folder.appendingPathComponent("throw-site").path, program: executable,
            chapterPath: chapter.path, scratch: folder.path)
        {
          result.diagnostics[escaped].location = SourceLocation(
            file: chapter.path, line: site.line, column: site.column)
        }
        if let checkpoints, attempt.program != program {
          keepCheckpoints(
            events: events, store: checkpoints, result: &result, program: attempt.program, chapter: chapter,
            outline: outline,
            environmentDigest: environmentDigest, resumedFrom: attempt.resume, terminated: run.termination)
        }
        break
      }
    } catch {
      result.diagnostics.append(Diagnostic(at: chapterStart, "could not run the chapter: \(error)"))
    }
    result.runNotes = notes + result.runNotes
    return result
  }

  /// Moves the checkpoints the run saved into the store, and turns a reason it gave for saving
  /// none into a warning at the value's line.
  private func keepCheckpoints(
    events: [RuntimeEvent], store: CheckpointStore, result: inout ChapterResult, program: ChapterProgram,
    chapter: Chapter, outline: ProgramOutline?, environmentDigest: String, resumedFrom: CheckpointStore.Entry?,
    terminated: ProcessRunner.Outcome.Termination
  ) {
    var saved: [(manifest: CheckpointManifest, statePath: String)] = []
    for event in events {
      switch event {
      case .checkpointsStopped(let reason):
        // "`name` is …": at the line that declares `name`.
        let name = reason.split(separator: "`", omittingEmptySubsequences: false).dropFirst().first.map(String.init)
        let declared = outline.map { $0.variables(through: $0.blocks.count - 1) } ?? []
        let variable = declared.first { $0.name == name }
        result.diagnostics.append(
          Diagnostic(
            .warning, at: SourceLocation(file: chapter.path, line: variable?.line ?? 1, column: variable?.column ?? 1),
            "no checkpoint: \(reason); edits after this point rerun the chapter from the start"))
      case .checkpointSaved(_, let manifestPath):
        guard let data = FileManager.default.contents(atPath: manifestPath),
          let manifest = try? JSONDecoder().decode(CheckpointManifest.self, from: data)
        else { continue }
        saved.append((manifest, String(manifestPath.dropLast(".json".count)) + ".state"))
      default:
        continue
      }
    }
    // A run stopped from outside (a timeout, a cancelled preview run) keeps nothing.
    if case .exited = terminated, !saved.isEmpty {
      store.keep(
        saved, result: result, program: program, chapter: chapter, environmentDigest: environmentDigest,
        resumedFrom: resumedFrom)
    }
    store.prune(for: chapter, program: program, environmentDigest: environmentDigest)
  }

  private func collect(
    into result: inout ChapterResult, chapter: Chapter, events: [RuntimeEvent], figures: String,
    stdout stdoutPath: String, stderr stderrPath: String, termination: ProcessRunner.Outcome.Termination
  ) {
    let output = (try? Data(contentsOf: URL(fileURLWithPath: stdoutPath))) ?? Data()
    let errorText = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""

    // Attribute stdout to blocks by the offsets recorded at each block boundary.
    var boundaries: [(cell: Int, offset: Int)] = []
    var currentCell: Int?
    for event in events {
      switch event {
      case .blockStarted(let index, let outputOffset):
        guard index >= 0, index < result.blocks.count else { continue }
        boundaries.append((index, Int(outputOffset)))
        result.blocks[index].ran = true
        currentCell = index
      case .checkFinished(let record):
        result.checks.append(
          CheckResult(
            kind: .check, label: record.label, value: record.value, expectation: record.expectation,
            passed: record.passed, detail: record.detail,
            location: SourceLocation(file: chapter.path, line: record.line), cell: currentCell,
            exercise: record.exercise, valueDigest: record.valueDigest))
      case .figureWritten(let record):
        guard let cell = currentCell,
          let data = FileManager.default.contents(atPath: figures + "/" + record.file)
        else { continue }
        result.blocks[cell].figures.append(
          Figure(
            format: Figure.Format(rawValue: record.format.rawValue) ?? .svg, data: data, altText: record.altText,
            caption: record.caption, label: record.label, line: record.line))
      case .inlineValue(let index, let text):
        if index >= 0, index < result.inlineValues.count { result.inlineValues[index] = text }
      case .programFinished:
        result.completed = true
      case .checkpointSaved, .checkpointsStopped:
        break
      }
    }
    for (position, boundary) in boundaries.enumerated() {
      let end = position + 1 < boundaries.count ? boundaries[position + 1].offset : output.count
      let start = min(boundary.offset, output.count)
      let slice = output[start..<max(start, min(end, output.count))]
      let shown = slice.prefix(Self.displayedOutputLimit)
      result.blocks[boundary.cell].output = String(decoding: shown, as: UTF8.self)
      result.blocks[boundary.cell].truncatedBytes = slice.count - shown.count
    }

    switch termination {
    case .timedOut, .cancelled: result.reproducible = false
    case .signaled(let signal): result.reproducible = ![SIGKILL, SIGTERM, SIGINT, SIGHUP].contains(signal)
    case .exited: result.reproducible = true
    }
    guard !result.completed || termination != .exited(0) else { return }
    let failedCell = currentCell
    let cellLine = failedCell.map { chapter.cells[$0].fenceLine } ?? 1
    let trap = RuntimeTrap(stderr: errorText, chapterPath: chapter.path)
    let line = trap.line ?? cellLine
    let location = SourceLocation(file: chapter.path, line: line, column: trap.column ?? 1)
    let message: String
    switch termination {
    case .timedOut:
      message =
        "the chapter did not finish within its timeout of \(Self.seconds(chapter.frontMatter.timeout)) "
        + "(stopped while running the block at line \(cellLine)); raise `timeout:` in the front matter if it needs longer"
    case .cancelled:
      message = "the run was cancelled"
    case .signaled(let signal) where signal == SIGXFSZ:
      message = "the chapter printed more than \(ProcessRunner.outputLimitBytes >> 20) MiB and was stopped"
    case .signaled(let signal):
      message = trap.message ?? "the chapter program crashed (signal \(signal))"
    case .exited(let status):
      message = trap.message ?? "the chapter program exited with status \(status) before its end"
    }
    if let cell = failedCell { result.blocks[cell].error = message }
    result.diagnostics.append(Diagnostic(at: location, message, details: trap.excerpt))
  }

  static func readEvents(_ path: String) -> (records: [RuntimeEvent], unreadable: Int) {
    guard let data = FileManager.default.contents(atPath: path) else { return ([], 0) }
    return RuntimeEvent.read(log: data)
  }

  static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
  }
}

/// Where a chapter program trapped, read from its stderr: the Swift runtime's
/// `file:line: Fatal error: message` and the backtracer's frames `at file:line:col`.
struct RuntimeTrap {
  var message: String?
  var line: Int?
  var column: Int?
  var excerpt: [String] = []

  init(stderr: String, chapterPath: String) {
    let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // The Swift runtime prints `file:line: Fatal error: message` (or Precondition/Assertion failed).
    let phrases = ["Fatal error", "Precondition failed", "Assertion failed"]
    for line in lines {
      if let phrase = phrases.first(where: line.contains), let range = line.range(of: phrase) {
        message = String(line[range.lowerBound...])
        break
      }
    }
    if message == nil, let crash = lines.first(where: { $0.contains("Program crashed") }) {
      message = crash.trimmingCharacters(in: .whitespaces)
    }
    // The first mention of the chapter file, in a fatal-error line or a backtrace frame.
    let escaped = NSRegularExpression.escapedPattern(for: chapterPath)
    if let regex = try? NSRegularExpression(pattern: escaped + #":(\d+)(?::(\d+))?"#) {
      for text in lines {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: range) else { continue }
        line = Range(match.range(at: 1), in: text).flatMap { Int(text[$0]) }
        column = Range(match.range(at: 2), in: text).flatMap { Int(text[$0]) }
        break
      }
    }
    // The runtime's message and the backtrace frames inside the chapter, nothing else.
    excerpt = lines.filter {
      $0.contains("Fatal error") || $0.contains("Program crashed") || $0.contains(" at " + chapterPath)
        || $0.contains(" at /") && $0.contains(chapterPath)
    }.prefix(8).map { "    " + $0.trimmingCharacters(in: .whitespaces) }
  }
}

/// Facts about the processor that decide BLAS kernels.
enum CPU {
  static let hasAVX512: Bool = {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    return info.contains(" avx512f")
  }()
}
