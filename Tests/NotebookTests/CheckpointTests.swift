import Foundation
import XCTest

/// Resuming a chapter from its checkpoints, through the built `notebook` binary: an edit after
/// a checkpoint reruns only from there and gives what a fresh run gives; any change the blocks
/// before it depend on runs the chapter from the start; a damaged checkpoint is survived.
final class CheckpointTests: XCTestCase {
  /// Checkpoints after every block, however quick.
  let everyBlock = ["NOTEBOOK_CHECKPOINT_SECONDS": "0"]
  let chapter = "chapters/resumable.md"

  func project() throws -> NotebookBinary {
    let project = try NotebookBinary(fixtures: ["resumable.md"])
    try FileManager.default.createDirectory(
      atPath: project.path("chapters/data"), withIntermediateDirectories: true)
    try project.write("chapters/data/numbers.txt", "1\n2\n3.5\n")
    return project
  }

  func edit(_ project: NotebookBinary, _ old: String, _ new: String) throws {
    let text = try XCTUnwrap(project.read(chapter))
    XCTAssertTrue(text.contains(old), "the fixture has \(old)")
    try project.write(chapter, text.replacingOccurrences(of: old, with: new))
  }

  /// The fence line of the block that opens with `firstLine`.
  func fence(_ project: NotebookBinary, before firstLine: String) throws -> Int {
    let lines = try XCTUnwrap(project.read(chapter)).components(separatedBy: "\n")
    return try XCTUnwrap(lines.firstIndex(of: firstLine))
  }

  /// `run`'s output without its timings and without the line that says where it resumed.
  func comparable(_ output: String) -> String {
    output.components(separatedBy: "\n").filter { !$0.hasPrefix("resumed after") }
      .map { $0.replacingOccurrences(of: #"\(\d+\.\d+ s.*\)$"#, with: "", options: .regularExpression) }
      .joined(separator: "\n")
  }

  func testAnEditToTheLastBlockResumesAndGivesWhatAFreshRunGives() throws {
    let project = try project()
    defer { project.remove() }
    let first = try project.run(["run", chapter], environment: everyBlock)
    XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
    XCTAssertFalse(first.stdout.contains("resumed after"), "nothing to resume from yet")

    try edit(project, #"print("draw", draw"#, #"print("the draw:", draw"#)
    let resumed = try project.run(["run", chapter], environment: everyBlock)
    XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
    let training = try fence(project, before: "for _ in 0..<1000 { history.append(rng.normal()) }")
    XCTAssertTrue(
      resumed.stdout.contains("resumed after \(chapter):\(training) (Training)"), resumed.stdout)
    XCTAssertTrue(resumed.stdout.contains("the draw:"), "the edited block ran")

    let fresh = try project.run(["run", "--fresh", chapter], environment: everyBlock)
    XCTAssertEqual(fresh.status, 0)
    XCTAssertFalse(fresh.stdout.contains("resumed after"))
    XCTAssertEqual(comparable(resumed.stdout), comparable(fresh.stdout))
    // The random draw after the resume point is the fresh run's draw.
    let draw = { (text: String) in text.components(separatedBy: "\n").first { $0.hasPrefix("the draw:") } }
    XCTAssertNotNil(draw(fresh.stdout))
    XCTAssertEqual(draw(resumed.stdout), draw(fresh.stdout))
  }

  func testAResumedBuildWritesTheSamePageAndFiguresAsAFreshOne() throws {
    let project = try project()
    defer { project.remove() }
    XCTAssertEqual(try project.run(["run", chapter], environment: everyBlock).status, 0)
    try edit(project, #"print("draw", draw"#, #"print("the draw:", draw"#)
    let resumed = try project.run(["build", chapter, "--out", "resumed"], environment: everyBlock)
    XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
    XCTAssertTrue(resumed.stderr.contains("resumed after line"), resumed.stderr)
    let fresh = try project.run(["build", "--fresh", chapter, "--out", "fresh"], environment: everyBlock)
    XCTAssertEqual(fresh.status, 0, fresh.stdout + fresh.stderr)
    let manager = FileManager.default
    let files = try manager.subpathsOfDirectory(atPath: project.path("fresh")).sorted()
    XCTAssertEqual(try manager.subpathsOfDirectory(atPath: project.path("resumed")).sorted(), files)
    XCTAssertTrue(files.contains { $0.hasSuffix(".svg") }, "the figure is a file of the site: \(files)")
    for file in files {
      let a = manager.contents(atPath: project.path("resumed/" + file))
      let b = manager.contents(atPath: project.path("fresh/" + file))
      XCTAssertEqual(a, b, "\(file) differs between the resumed and the fresh build")
    }
    XCTAssertTrue(
      try XCTUnwrap(project.read("resumed/resumable.html")).contains("The draw was"), "inline values are there")
  }

  func testTheStudentEditionResumesFromTheInstructorsCheckpoint() throws {
    let project = try project()
    defer { project.remove() }
    XCTAssertEqual(try project.run(["run", chapter], environment: everyBlock).status, 0)
    // The student's edition differs from the first exercise on; the blocks before it are the same.
    let student = try project.run(["run", "--edition", "student", chapter], environment: everyBlock)
    XCTAssertTrue(student.stdout.contains("resumed after \(chapter):"), student.stdout + student.stderr)
    let fresh = try project.run(["run", "--edition", "student", "--fresh", chapter], environment: everyBlock)
    XCTAssertFalse(fresh.stdout.contains("resumed after"))
    XCTAssertTrue(fresh.stdout.contains("exercises: 0 of 1 solved"), fresh.stdout)
    XCTAssertEqual(comparable(student.stdout), comparable(fresh.stdout))
  }

  /// `build --edition student` runs the copies in `student/chapters/`: they resume from the
  /// checkpoints of the instructor's `chapters/` too, and their results name the copies; the
  /// same command again, or the student edition of the original, finds the result cached.
  func testTheStudentEditionsCopiesResumeFromTheInstructorsCheckpoint() throws {
    let project = try project()
    defer { project.remove() }
    XCTAssertEqual(try project.run(["run", chapter], environment: everyBlock).status, 0)
    let build = try project.run(["build", "--edition", "student", chapter], environment: everyBlock)
    XCTAssertEqual(build.status, 0, build.stdout + build.stderr)
    XCTAssertTrue(build.stderr.contains("✗ student/\(chapter): 2/3 checks (resumed after line"), build.stderr)
    let again = try project.run(["build", "--edition", "student", chapter], environment: everyBlock)
    XCTAssertTrue(again.stderr.contains("✗ student/\(chapter): 2/3 checks (cached)"), again.stderr)
    let original = try project.run(["run", "--edition", "student", chapter], environment: everyBlock)
    XCTAssertTrue(original.stdout.contains("FAIL \(chapter): 2 of 3 checks passed, 0 errors"), original.stdout)
    XCTAssertTrue(original.stdout.contains("cached)"), original.stdout)
    XCTAssertTrue(original.stdout.contains("exercise twice (\(chapter)): ✗"), original.stdout)
  }

  func testAChangeBeforeTheEditRunsTheChapterFromTheStart() throws {
    let changes: [(String, (NotebookBinary) throws -> Void)] = [
      (
        "an edited earlier block",
        { try self.edit($0, "let note = Note(text: \"kept\")", "let note = Note(text: \"kept!\")") }
      ),
      (
        "a block inserted at the top",
        {
          try self.edit($0, "## Setup\n", "## Setup\n\n```swift\nlet inserted = 1\n```\n")
        }
      ),
      ("a changed data file", { try $0.write("chapters/data/numbers.txt", "1\n2\n3.75\n") }),
    ]
    for (name, change) in changes {
      let project = try project()
      defer { project.remove() }
      XCTAssertEqual(try project.run(["run", chapter], environment: everyBlock).status, 0)
      try change(project)
      try edit(project, #"print("draw", draw"#, #"print("the draw:", draw"#)
      let rerun = try project.run(["run", chapter], environment: everyBlock)
      XCTAssertEqual(rerun.status, 0, name + rerun.stdout + rerun.stderr)
      XCTAssertFalse(rerun.stdout.contains("resumed after"), "\(name) must run the chapter from the start")
      let fresh = try project.run(["run", "--fresh", chapter], environment: everyBlock)
      XCTAssertEqual(comparable(rerun.stdout), comparable(fresh.stdout), name)
    }
  }

  func testABlockInsertedAfterTheCheckpointRunsAfterIt() throws {
    let project = try project()
    defer { project.remove() }
    XCTAssertEqual(try project.run(["run", chapter], environment: everyBlock).status, 0)
    try edit(project, "## After\n", "## After\n\n```swift\nprint(\"inserted\", rng.next() % 1000)\n```\n")
    let rerun = try project.run(["run", chapter], environment: everyBlock)
    XCTAssertEqual(rerun.status, 0, rerun.stdout + rerun.stderr)
    XCTAssertTrue(rerun.stdout.contains("resumed after"), rerun.stdout)
    XCTAssertTrue(rerun.stdout.contains("inserted "), "the inserted block ran: " + rerun.stdout)
    let fresh = try project.run(["run", "--fresh", chapter], environment: everyBlock)
    XCTAssertEqual(comparable(rerun.stdout), comparable(fresh.stdout))
  }

  func testARebuiltLibraryRunsTheChapterFromTheStart() throws {
    let project = try project()
    defer { project.remove() }
    // A package whose built library differs from the real one by a byte at its end (which the
    // loader ignores), with the real sources beside it.
    let package = project.path("package")
    let library = package + "/.build/release"
    let manager = FileManager.default
    try manager.createDirectory(atPath: library, withIntermediateDirectories: true)
    try manager.copyItem(atPath: NotebookBinary.libraryDirectory + "/Modules", toPath: library + "/Modules")
    try manager.copyItem(atPath: NotebookBinary.libraryDirectory + "/libLatent.so", toPath: library + "/libLatent.so")
    try manager.createSymbolicLink(
      atPath: package + "/Sources",
      withDestinationPath: NotebookBinary.packageRoot.appendingPathComponent("Sources").path)
    let run = {
      try project.run(["run", self.chapter], in: nil, libraryDirectory: library, environment: self.everyBlock)
    }
    XCTAssertEqual(try run().status, 0)
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: library + "/libLatent.so"))
    handle.seekToEndOfFile()
    handle.write(Data([0]))
    try handle.close()
    try edit(project, #"print("draw", draw"#, #"print("the draw:", draw"#)
    let rerun = try run()
    XCTAssertEqual(rerun.status, 0, rerun.stdout + rerun.stderr)
    XCTAssertTrue(rerun.stdout.contains("the draw:"))
    XCTAssertFalse(rerun.stdout.contains("resumed after"), "a rebuilt library must run the chapter from the start")
  }

  func testADamagedCheckpointIsIgnoredWithAWarning() throws {
    let damages: [(String, String, (String) throws -> Void)] = [
      (
        "a truncated state file", "ignored a corrupted checkpoint",
        { store in
          for folder in try FileManager.default.contentsOfDirectory(atPath: store) where folder.hasPrefix("resumable.")
          {
            let state = URL(fileURLWithPath: store + "/" + folder + "/state")
            let data = try Data(contentsOf: state)
            try data.prefix(data.count / 2).write(to: state)
          }
        }
      ),
      (
        "a changed byte in a large array", "ignored the checkpoint",
        { store in
          let blobs = store + "/blobs"
          for blob in try FileManager.default.contentsOfDirectory(atPath: blobs) {
            var data = try Data(contentsOf: URL(fileURLWithPath: blobs + "/" + blob))
            data[data.count / 2] ^= 0xFF
            try data.write(to: URL(fileURLWithPath: blobs + "/" + blob))
          }
        }
      ),
    ]
    for (name, warning, damage) in damages {
      let project = try project()
      defer { project.remove() }
      XCTAssertEqual(try project.run(["run", chapter], environment: everyBlock).status, 0)
      let store = project.path(".notebook-cache/checkpoints")
      XCTAssertFalse(
        try FileManager.default.contentsOfDirectory(atPath: store).filter { $0.hasPrefix("resumable.") }.isEmpty)
      try damage(store)
      try edit(project, #"print("draw", draw"#, #"print("the draw:", draw"#)
      let rerun = try project.run(["run", chapter], environment: everyBlock)
      XCTAssertEqual(rerun.status, 0, "\(name): " + rerun.stdout + rerun.stderr)
      XCTAssertTrue(rerun.stderr.contains("warning: \(warning)"), "\(name): " + rerun.stderr)
      XCTAssertTrue(rerun.stderr.contains("ran from the start"), rerun.stderr)
      XCTAssertFalse(rerun.stdout.contains("resumed after"), name)
      let fresh = try project.run(["run", "--fresh", chapter], environment: everyBlock)
      XCTAssertEqual(comparable(rerun.stdout), comparable(fresh.stdout), name)
    }
  }

  func testATypoAfterTheCheckpointIsReportedAtItsLineAndTheCheckpointSurvivesIt() throws {
    let project = try project()
    defer { project.remove() }
    XCTAssertEqual(try project.run(["run", chapter], environment: everyBlock).status, 0)
    try edit(project, #"print("draw", draw"#, #"print("draw", drawn"#)
    let line = try fence(project, before: "let draw = rng.next() % 1_000_000") + 2
    let typo = try project.run(["run", chapter], environment: everyBlock)
    XCTAssertNotEqual(typo.status, 0)
    XCTAssertTrue(typo.stderr.contains("\(chapter):\(line):15: error: cannot find 'drawn' in scope"), typo.stderr)
    XCTAssertFalse(typo.stderr.contains("could not resume"), typo.stderr)
    try edit(project, #"print("draw", drawn"#, #"print("the draw:", draw"#)
    let fixed = try project.run(["run", chapter], environment: everyBlock)
    XCTAssertEqual(fixed.status, 0, fixed.stdout + fixed.stderr)
    XCTAssertTrue(fixed.stdout.contains("resumed after"), "the checkpoint is still used: " + fixed.stdout)
  }

  func testAValueThatCannotBeSavedIsReportedAtItsLine() throws {
    let project = try project()
    defer { project.remove() }
    try edit(project, "let note = Note(text: \"kept\")", "let note = Note(text: \"kept\"); let pairs = [(1, 2)]")
    let line = try fence(project, before: "var rng = SeededGenerator(seed: chapterSeed)") + 7
    // Whether a save is due depends on the machine's speed; the warning must not: with saves
    // never due (a threshold of a day) it is the same warning at the same line.
    for seconds in ["0", "86400"] {
      let result = try project.run(
        ["run", "--fresh", chapter], environment: ["NOTEBOOK_CHECKPOINT_SECONDS": seconds])
      XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
      XCTAssertTrue(
        result.stderr.contains(
          "\(chapter):\(line):36: warning: no checkpoint: `pairs` is a Swift.Array<(Swift.Int, Swift.Int)>, "
            + "which cannot be saved (it is not Codable)"),
        "threshold \(seconds) s: " + result.stderr)
    }
  }

  func testAnUnwritableCheckpointFolderRunsWithoutCheckpoints() throws {
    let project = try project()
    defer { project.remove() }
    try FileManager.default.createDirectory(atPath: project.path(".notebook-cache"), withIntermediateDirectories: true)
    try project.write(".notebook-cache/checkpoints", "not a folder")
    let result = try project.run(["run", chapter], environment: everyBlock)
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    XCTAssertTrue(result.stderr.contains("cannot write checkpoints"), result.stderr)
    XCTAssertTrue(result.stdout.contains("PASS"))
  }
}
