import FlyingFox
import Foundation
import Notebook

/// Serves a `PreviewBuild` over HTTP and tells open pages to reload when it changes.
///
/// Pages get a small script that long-polls `/__events?since=VERSION`: the request returns as
/// soon as the site's version moves past it (or after 10 s with the same version), and the
/// page reloads itself when the version changed. A watcher thread polls the chapter files.
public final class PreviewServer: @unchecked Sendable {
  public let preview: PreviewBuild
  private let server: HTTPServer
  private let pollInterval: TimeInterval

  public init(preview: PreviewBuild, host: String, port: UInt16, pollInterval: TimeInterval = 0.2) throws {
    self.preview = preview
    self.pollInterval = pollInterval
    let address = host == "localhost" ? "127.0.0.1" : host
    server = HTTPServer(address: try .inet(ip4: address, port: port), timeout: 30)
  }

  /// The port the server listens on (useful with port 0).
  public func listeningPort() async throws -> UInt16? {
    try await server.waitUntilListening()
    guard case .ip4(_, let port)? = await server.listeningAddress else { return nil }
    return port
  }

  /// Builds, then serves until cancelled; `onRebuild` hears of every rebuild.
  public func run(onRebuild: @escaping @Sendable ([String]) -> Void) async throws {
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
    await server.appendRoute("GET /__events") { request in
      let since = Int(request.query["since"] ?? "") ?? -1
      let deadline = Date().addingTimeInterval(10)
      while preview.version == since && Date() < deadline {
        try await Task.sleep(nanoseconds: 50_000_000)
      }
      return HTTPResponse(
        statusCode: .ok, headers: [.contentType: "application/json", .init("Cache-Control"): "no-store"],
        body: Data("{\"version\":\(preview.version)}".utf8))
    }
    await server.appendRoute("GET /__live.js") { _ in
      HTTPResponse(
        statusCode: .ok, headers: [.contentType: "text/javascript"], body: Data(Self.liveScript.utf8))
    }
    await server.appendRoute("GET *") { request in
      Self.file(at: request.path, in: preview.snapshot.files)
    }
    try await server.run()
  }

  static func file(at requestPath: String, in files: [String: [UInt8]]) -> HTTPResponse {
    var path = (requestPath.removingPercentEncoding ?? requestPath).trimmingCharacters(in: ["/"])
    if path.isEmpty { path = "index.html" }
    guard let bytes = files[path] else {
      return HTTPResponse(statusCode: .notFound, body: Data("not found: \(path)\n".utf8))
    }
    var body = Data(bytes)
    if path.hasSuffix(".html"), let html = String(data: body, encoding: .utf8) {
      body = Data(html.replacingOccurrences(of: "</head>", with: "<script src=\"/__live.js\"></script>\n</head>").utf8)
    }
    return HTTPResponse(
      statusCode: .ok,
      headers: [.contentType: contentType(path), .init("Cache-Control"): "no-store"], body: body)
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

  /// Reloads the page when the site's version changes.
  static let liveScript = """
    (function poll(version) {
      fetch('/__events?since=' + version, { cache: 'no-store' })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          if (version >= 0 && d.version !== version) { location.reload(); } else { poll(d.version); }
        })
        .catch(function () { setTimeout(function () { poll(version); }, 1000); });
    })(-1);

    """
}
