import ArgumentParser
import Foundation
import Notebook
import NotebookPreview

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Build the site, serve it, rebuild the chapter you save, and reload the open page.")

  @Option(help: "The port (0 picks a free one).")
  var port: UInt16 = 8000

  @Option(help: "The address to listen on; 127.0.0.1 keeps the preview on this machine.")
  var host = "127.0.0.1"

  @Option(help: "The course title shown on every page.")
  var title = courseTitle

  @OptionGroup var common: CommonOptions

  func run() async throws {
    let engine = try common.engine()
    let preview = try PreviewBuild(engine: engine, course: title)
    let server: PreviewServer
    do {
      server = try PreviewServer(preview: preview, host: host, port: port)
    } catch let error as ListenError {
      throw failure(error.description)
    }
    if !server.isLoopback {
      printError(
        "notebook: warning: listening on \(host), so other machines can reach the preview; "
          + "--host 127.0.0.1 keeps it on this one")
    }
    print("serving \(server.url)")
    fflush(stdout)
    printError("notebook: building \(Engine.defaultChapters(root: engine.root).count) chapters…")
    let echo = DiagnosticEcho()
    await server.run { changed in
      echo.print(preview.diagnostics, rebuilt: changed)
      let resumed = changed.compactMap { path in
        preview.resumption(of: path).map { "\(path) resumed after line \($0.line)" }
      }
      let how = resumed.isEmpty ? "" : "; " + resumed.joined(separator: ", ")
      printError("notebook: rebuilt \(changed.joined(separator: ", ")) (version \(preview.version)\(how))")
    }
  }
}

/// Prints each rebuild's diagnostics once: those of the chapters just rebuilt, and any other
/// that is new (a link into a rebuilt chapter that broke); not every other chapter's again.
private final class DiagnosticEcho: @unchecked Sendable {
  private var shown: Set<Diagnostic> = []
  private let lock = NSLock()

  func print(_ diagnostics: [Diagnostic], rebuilt: [String]) {
    lock.lock()
    defer { lock.unlock() }
    let style = TerminalStyle()
    for diagnostic in diagnostics where rebuilt.contains(diagnostic.location.file) || !shown.contains(diagnostic) {
      printError(style.diagnostic(diagnostic))
    }
    shown = Set(diagnostics)
  }
}
