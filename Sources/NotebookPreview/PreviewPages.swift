/// The pages the preview makes itself, and the script that reloads every page it serves.
enum PreviewPages {
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

  /// Shown for every page until the first build is done; reloads itself then.
  static let building = page(
    title: "Building…",
    body: "<p>The chapters are being run. This page reloads itself when the first build is done.</p>")

  /// Shown for an address the site does not have; it names no path, and reloads with the site
  /// (a chapter just added appears by itself).
  static let notFound = page(
    title: "Not found",
    body: "<p>The preview has no page at this address. The course starts at <a href=\"/\">its contents</a>.</p>")

  private static func page(title: String, body: String) -> String {
    """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(title)</title>
    <style>
    body { font: 1.1rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
    @media (prefers-color-scheme: dark) { body { background: #16181c; color: #dde1e6; } a { color: #8ab4f8; } }
    </style>
    <script src="/__live.js"></script>
    </head>
    <body>
    <h1>\(title)</h1>
    \(body)
    </body>
    </html>

    """
  }
}
