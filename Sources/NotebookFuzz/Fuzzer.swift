import Foundation

/// Runs the corpus as it is, then mutated inputs until time is up; stops at the first input the
/// notebook crashes on, hangs on (past the time limit) or answers with a line outside the file,
/// shrinks it and writes it out.
struct Fuzzer {
  var seconds: Double
  var seed: UInt64
  var timeLimit: Double
  var maximumSize: Int
  var failureDirectory: String
  var corpus: [(name: String, bytes: [UInt8])]

  /// Whether every input passed.
  func run() -> Bool {
    let worker = WorkerProcess(executable: Self.executable, timeLimit: timeLimit)
    let started = Date()
    var slowest = (seconds: 0.0, bytes: [UInt8]())
    var count = 0
    func probe(_ bytes: [UInt8], _ origin: String) -> Bool {
      let (outcome, seconds) = worker.probe(bytes)
      count += 1
      if seconds >= slowest.seconds { slowest = (seconds, bytes) }
      guard outcome == .passed else {
        report(outcome, bytes, origin: origin, worker: worker)
        return false
      }
      return true
    }
    for entry in corpus {
      guard probe(entry.bytes, entry.name) else { return false }
    }
    var rng = SplitMix64(seed: seed)
    let mutator = Mutator(seeds: corpus.map(\.bytes), maximumSize: maximumSize)
    var lastProgress = Date()
    while Date().timeIntervalSince(started) < seconds {
      let (bytes, from) = mutator.next(using: &rng)
      let origin = "input \(count + 1) of seed \(seed), mutated from \(from.map { corpus[$0].name } ?? "nothing")"
      guard probe(bytes, origin) else { return false }
      if Date().timeIntervalSince(lastProgress) >= 60 {
        lastProgress = Date()
        print("notebook-fuzz: \(count) inputs in \(Int(Date().timeIntervalSince(started))) s")
      }
    }
    let elapsed = String(format: "%.0f", Date().timeIntervalSince(started))
    // Kept for a look at what takes longest.
    try? FileManager.default.createDirectory(atPath: failureDirectory, withIntermediateDirectories: true)
    let slowestFile = failureDirectory + "/slowest.md"
    _ = FileManager.default.createFile(atPath: slowestFile, contents: Data(slowest.bytes))
    print(
      "notebook-fuzz: \(count) inputs (\(corpus.count) from the corpus) in \(elapsed) s, seed \(seed): "
        + "no crash, no hang, every line in its file; slowest \(String(format: "%.2f", slowest.seconds)) s "
        + "(\(slowest.bytes.count) bytes, in \(slowestFile))")
    return true
  }

  private func report(_ outcome: WorkerProcess.Outcome, _ bytes: [UInt8], origin: String, worker: WorkerProcess) {
    let kind: String
    let detail: String
    switch outcome {
    case .passed: return
    case .wrong(let problems): (kind, detail) = ("wrong-line", problems)
    case .crashed(let how): (kind, detail) = ("crash", how)
    case .timedOut: (kind, detail) = ("hang", "more than \(timeLimit) s of CPU time")
    }
    printError("notebook-fuzz: \(kind) on \(origin) (\(bytes.count) bytes): \(detail)")
    let small = Minimizer(worker: worker, budget: 60).shrink(bytes, keeping: outcome)
    try? FileManager.default.createDirectory(atPath: failureDirectory, withIntermediateDirectories: true)
    let file = failureDirectory + "/\(kind)-\(String(UInt32(truncatingIfNeeded: bytes.hashValue), radix: 16)).md"
    let written = FileManager.default.createFile(atPath: file, contents: Data(small))
    printError(
      written
        ? "notebook-fuzz: shrunk to \(small.count) bytes in \(file); run it again with `notebook-fuzz --seconds 0 \(file)`"
        : "notebook-fuzz: could not write \(file)")
  }

  /// This program, to start as a worker.
  static var executable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
  }
}

func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
