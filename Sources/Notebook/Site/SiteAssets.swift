import Foundation

/// Every file the pages use besides themselves: the stylesheet, the copy-button script, and
/// KaTeX's stylesheet and fonts read from Debian's packages, so the site works offline.
public enum SiteAssets {
  public static func files(katexDist: String) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [
      "assets/notebook.css": Array(Stylesheet.css.utf8),
      "assets/notebook.js": Array(script.utf8),
    ]
    try collect(from: katexDist + "/katex.min.css", as: "assets/katex/katex.min.css", into: &files)
    try collect(from: katexDist + "/fonts", as: "assets/katex/fonts", into: &files)
    return files
  }

  /// Reads a file, or a folder's files, following symbolic links: Debian's KaTeX reaches its
  /// CSS and fonts through links that would dangle inside the site.
  static func collect(from source: String, as path: String, into files: inout [String: [UInt8]]) throws {
    let manager = FileManager.default
    let resolved = URL(fileURLWithPath: source).resolvingSymlinksInPath()
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else {
      throw ToolchainError("missing \(source) (\(resolved.path)): run `make deps`")
    }
    if isDirectory.boolValue {
      for name in try manager.contentsOfDirectory(atPath: resolved.path).sorted() {
        try collect(from: resolved.path + "/" + name, as: path + "/" + name, into: &files)
      }
    } else {
      files[path] = Array(try Data(contentsOf: resolved))
    }
  }

  /// Adds a copy button to every code block. Pages read fine without it.
  static let script = """
    document.querySelectorAll('pre.code').forEach(function (pre) {
      if (!navigator.clipboard) return;
      var button = document.createElement('button');
      button.className = 'copy';
      button.type = 'button';
      button.textContent = 'Copy';
      button.setAttribute('aria-label', 'Copy this code');
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(pre.querySelector('code').innerText).then(function () {
          button.textContent = 'Copied';
          setTimeout(function () { button.textContent = 'Copy'; }, 1500);
        }, function () { button.textContent = 'Select and copy'; });
      });
      pre.appendChild(button);
    });

    """
}
