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

  @OptionGroup var common: CommonOptions

  func run() async throws {
    let engine = try common.engine()
    let preview = try PreviewBuild(engine: engine, course: courseTitle)
    printError("notebook: building \(Engine.defaultChapters(root: engine.root).count) chapters…")
    let server = try PreviewServer(preview: preview, host: host, port: port)
    async let serving: Void = server.run { changed in
      let style = TerminalStyle()
      for diagnostic in preview.diagnostics { printError(style.diagnostic(diagnostic)) }
      printError("notebook: rebuilt \(changed.joined(separator: ", ")) (version \(preview.version))")
    }
    if let actual = try await server.listeningPort() {
      print("serving http://\(host):\(actual)/")
      fflush(stdout)
    }
    try await serving
  }
}
