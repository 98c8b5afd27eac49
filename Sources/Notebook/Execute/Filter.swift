import Foundation

/// Runs a helper program as a filter: `input` on its stdin, its stdout and stderr collected
/// (node for KaTeX and highlight.js, python3-lunr for the search index, pandoc for citations).
enum Filter {
  struct Output {
    var status: Int32
    var stdout: Data
    var stderr: String
  }

  static func run(_ executable: String, _ arguments: [String], input: Data) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Write from another thread so a large reply cannot deadlock against a full input pipe.
    // A helper that dies early must give an error, not a SIGPIPE that kills us silently.
    signal(SIGPIPE, SIG_IGN)
    let writer = Thread {
      try? stdin.fileHandleForWriting.write(contentsOf: input)
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return Output(status: process.terminationStatus, stdout: data, stderr: errors)
  }
}
