import Foundation
import Notebook

/// Serves a `PreviewBuild` over HTTP and tells open pages to reload when it changes.
///
/// Pages get a small script that long-polls `/__events?since=VERSION`: the request returns as
/// soon as the site's version moves past it (or after 10 s with the same version), and the
/// page reloads itself when the version changed. Until the first build is done every page is a
/// "Building…" page with the same script. A watcher thread polls the chapter files.
public final class PreviewServer: @unchecked Sendable {
  public let preview: PreviewBuild
  private let listener: HTTPListener
  private let pollInterval: TimeInterval

  /// Binds the address at once, so a port in use is a `ListenError` before anything is built.
  public init(preview: PreviewBuild, host: String, port: UInt16, pollInterval: TimeInterval = 0.2) throws {
    self.preview = preview
    self.pollInterval = pollInterval
    listener = try HTTPListener(host: host, port: port)
  }

  /// The port the server listens on (the one chosen, with port 0).
  public var port: UInt16 { listener.port }

  /// The address to open in a browser.
  public var url: String { "http://\(listener.address.authority(port: port))/" }

  /// Whether only this machine can reach the preview (127.0.0.0/8 or ::1).
  public var isLoopback: Bool { listener.address.isLoopback }

  /// Builds, then serves until cancelled; `onRebuild` hears of every rebuild.
  public func run(onRebuild: @escaping @Sendable ([String]) -> Void) async {
    let preview = self.preview
    let interval = pollInterval
    let watcher = Thread {
      while !Thread.current.isCancelled {
        let changed = preview.refresh()
        if !changed.isEmpty { onRebuild(changed) }
        Thread.sleep(forTimeInterval: interval)
      }
    }
    watcher.start()
    defer { watcher.cancel() }
    let listener = self.listener
    await withTaskCancellationHandler {
      await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        Thread {
          listener.serve { request in Self.respond(to: request, preview: preview) }
          done.resume()
        }.start()
      }
    } onCancel: {
      listener.stop()
    }
  }

  static func respond(to request: RequestHead, preview: PreviewBuild) -> PreviewResponse {
    switch request.path {
    case "/__events":
      let since = Int(request.query["since"] ?? "") ?? -1
      let deadline = Date().addingTimeInterval(10)
      while preview.version == since && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.05)
      }
      return PreviewResponse(
        status: 200, contentType: "application/json", body: Array("{\"version\":\(preview.version)}".utf8))
    case "/__live.js":
      return PreviewResponse(status: 200, contentType: "text/javascript", body: Array(PreviewPages.liveScript.utf8))
    default:
      let (files, version) = preview.snapshot
      guard version > 0 else { return .html(200, PreviewPages.building) }
      return file(at: request.path, in: files)
    }
  }

  static func file(at requestPath: String, in files: [String: [UInt8]]) -> PreviewResponse {
    var path = requestPath.trimmingCharacters(in: ["/"])
    if path.isEmpty { path = "index.html" }
    guard var body = files[path] else { return .html(404, PreviewPages.notFound) }
    if path.hasSuffix(".html"), let html = String(bytes: body, encoding: .utf8) {
      body = Array(html.replacingOccurrences(of: "</head>", with: "<script src=\"/__live.js\"></script>\n</head>").utf8)
    }
    return PreviewResponse(status: 200, contentType: contentType(path), body: body)
  }

  static func contentType(_ path: String) -> String {
    switch (path as NSString).pathExtension.lowercased() {
    case "html": return "text/html; charset=utf-8"
    case "css": return "text/css"
    case "js": return "text/javascript"
    case "svg": return "image/svg+xml"
    case "png": return "image/png"
    case "woff2": return "font/woff2"
    case "woff": return "font/woff"
    case "ttf": return "font/ttf"
    default: return "application/octet-stream"
    }
  }
}
