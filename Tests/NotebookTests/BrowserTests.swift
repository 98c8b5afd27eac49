import Foundation
import XCTest

/// Loads built pages in headless Chromium through `scripts/browser_check.py`: console errors,
/// failed requests, broken links and anchors, images without alt text, KaTeX errors.
/// Skipped without Chromium, except under CI (`CI` set), which installs it.
final class BrowserTests: XCTestCase {
  private func browserCheck(_ site: String, screenshots: String? = nil, extra: [String] = []) throws -> (
    status: Int32, output: String
  ) {
    let script = NotebookBinary.packageRoot.appendingPathComponent("scripts/browser_check.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [script, site] + (screenshots.map { ["--screenshots", $0] } ?? []) + extra
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  private func requireBrowser() throws {
    let manager = FileManager.default
    let hasChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains {
      manager.isExecutableFile(atPath: $0)
    }
    let hasClient = manager.fileExists(atPath: "/usr/lib/python3/dist-packages/websocket")
    if hasChromium && hasClient { return }
    if ProcessInfo.processInfo.environment["CI"] != nil {
      XCTFail(
        "CI must install Debian's chromium and python3-websocket (scripts/install-deps.sh chromium python3-websocket)")
    }
    throw XCTSkip("no Chromium or python3-websocket: the browser test needs Debian's chromium and python3-websocket")
  }

  func testFixtureSitePassesInARealBrowser() throws {
    try requireBrowser()
    let project = try NotebookBinary(fixtures: ["good.md", "big-output.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let result = try browserCheck(project.path("site"))
    XCTAssertEqual(result.status, 0, result.output)
    XCTAssertTrue(result.output.contains("browser check: 3 pages, 0 problems"), result.output)
  }

  /// From `file://`: `/` focuses the search box on the index, a word lists its section, and
  /// following the result lands on it; a focused citation shows its reference and links to it.
  func testSearchFromTheFileSystemAndCitations() throws {
    try requireBrowser()
    let project = try NotebookBinary(fixtures: ["good.md", "cited.md", "references.bib"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let result = try browserCheck(project.path("site"), extra: ["--search", "zygomorphic=cited.html"])
    XCTAssertEqual(result.status, 0, result.output)
    XCTAssertTrue(result.output.contains("search: 'zygomorphic' leads to cited.html"), result.output)
    let missing = try browserCheck(project.path("site"), extra: ["--search", "zygomorphic=good.html"])
    XCTAssertEqual(missing.status, 1, missing.output)
    XCTAssertTrue(
      missing.output.contains("index.html: searching for 'zygomorphic' lists no result in good.html"), missing.output)
  }

  /// axe-core (fetched from PyPI by `scripts/install-axe.sh`, as `make browser` does) on every
  /// page, light and dark: the fixture course passes, and text too faint to read fails.
  func testAxeFindsNoSeriousViolationsAndFailsOnFaintText() throws {
    try requireBrowser()
    let axe = NotebookBinary.packageRoot.appendingPathComponent(".build/axe/axe_playwright_python/axe.min.js").path
    if !FileManager.default.fileExists(atPath: axe) {
      // The tests install what they need, as `make browser` does (PyPI's wheel, no network
      // beyond it); only when that fails is the check skipped (or, under CI, failed).
      let install = Process()
      install.executableURL = NotebookBinary.packageRoot.appendingPathComponent("scripts/install-axe.sh")
      install.currentDirectoryURL = NotebookBinary.packageRoot
      if (try? install.run()) != nil { install.waitUntilExit() }
    }
    if !FileManager.default.fileExists(atPath: axe) {
      if ProcessInfo.processInfo.environment["CI"] != nil {
        XCTFail("CI must install axe-core: scripts/install-axe.sh")
      }
      throw XCTSkip("no axe-core: run scripts/install-axe.sh (make browser does)")
    }
    let project = try NotebookBinary(fixtures: ["good.md", "cited.md", "references.bib"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let clean = try browserCheck(project.path("site"), extra: ["--axe", axe])
    XCTAssertEqual(clean.status, 0, clean.output)
    XCTAssertTrue(clean.output.contains("axe-core: 3 pages, light and dark"), clean.output)
    try project.write(
      "chapters/faint.md", "---\ntitle: Faint\n---\n\n<p style=\"color: #d0d0d0\">Text too faint to read.</p>\n")
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let faint = try browserCheck(project.path("site"), extra: ["--axe", axe])
    XCTAssertEqual(faint.status, 1, faint.output)
    XCTAssertTrue(faint.output.contains("faint.html: axe, light mode: color-contrast (serious)"), faint.output)
  }

  /// From `file://`: each explorable figure's slider appears once its frames load, and moving it
  /// to another value, then by an arrow key, changes the picture on screen (pixels, alt text and
  /// the value shown), for SVG and PNG frames; frames that do not differ, or that never load, fail.
  func testMovingAnExplorableFiguresSliderChangesThePicture() throws {
    try requireBrowser()
    let project = try NotebookBinary(fixtures: ["explorable.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let result = try browserCheck(project.path("site"))
    XCTAssertEqual(result.status, 0, result.output)
    XCTAssertTrue(
      result.output.contains("explorable figures: 2, each slider moved by value and by arrow key"), result.output)

    let manager = FileManager.default
    for k in [2, 3] {
      let frame = project.path("site/figures/explorable-2.frame-\(k).png")
      try manager.removeItem(atPath: frame)
      try manager.copyItem(atPath: project.path("site/figures/explorable-2.frame-1.png"), toPath: frame)
    }
    try manager.removeItem(atPath: project.path("site/figures/explorable-1.frames.js"))
    let broken = try browserCheck(project.path("site"))
    XCTAssertEqual(broken.status, 1, broken.output)
    XCTAssertTrue(
      broken.output.contains("explorable.html: explorable figure #fig-parabola: its slider never appeared"),
      broken.output)
    XCTAssertTrue(
      broken.output.contains(
        "explorable.html: explorable figure #fig-pixels: the picture did not change when the slider was set to another value"
      ), broken.output)
    XCTAssertTrue(
      broken.output.contains(
        "explorable.html: explorable figure #fig-pixels: the picture did not change when the slider was moved by an arrow key"
      ), broken.output)
  }

  func testABrokenLinkFailsTheBrowserCheck() throws {
    try requireBrowser()
    let project = try NotebookBinary(fixtures: ["good.md", "dead-link.md"])
    defer { project.remove() }
    // The build's own link check would refuse this site; skip it to test the browser's.
    XCTAssertEqual(try project.run(["build", "--no-link-check"]).status, 0)
    let result = try browserCheck(project.path("site"))
    XCTAssertEqual(result.status, 1, result.output)
    XCTAssertTrue(result.output.contains("dead-link.html: broken link to nowhere.html"), result.output)
  }

  func testAnEquationWiderThanTheColumnFailsTheBrowserCheck() throws {
    try requireBrowser()
    let project = try NotebookBinary(fixtures: ["wide-equation.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let result = try browserCheck(project.path("site"))
    XCTAssertEqual(result.status, 1, result.output)
    XCTAssertTrue(
      result.output.contains("wide-equation.html: display equation wider than the column at desktop width"),
      result.output)
  }

  func testAPageWiderThanAPhoneFailsTheBrowserCheck() throws {
    try requireBrowser()
    let project = try NotebookBinary(fixtures: ["wide-page.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let result = try browserCheck(project.path("site"))
    XCTAssertEqual(result.status, 1, result.output)
    XCTAssertTrue(
      result.output.contains("wide-page.html: page is 6"), result.output)
    XCTAssertTrue(result.output.contains("px phone screen (because of td «a cell as wide as a tablet»)"), result.output)
  }

  /// The compacted math markup must look exactly like KaTeX's own: every screenshot, at both
  /// widths and in both colour schemes, pixel for pixel.
  func testCompactedMathLooksExactlyLikeKaTeXs() throws {
    try requireBrowser()
    let project = try NotebookBinary(fixtures: ["math-gallery.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    XCTAssertEqual(
      try project.run(["build", "--out", "site-full"], environment: ["NOTEBOOK_MATH_MARKUP": "full"]).status, 0)
    let compact = try Data(contentsOf: URL(fileURLWithPath: project.path("site/math-gallery.html")))
    let full = try Data(contentsOf: URL(fileURLWithPath: project.path("site-full/math-gallery.html")))
    XCTAssertLessThan(Double(compact.count), 0.9 * Double(full.count), "compaction saves at least a tenth")

    for site in ["site", "site-full"] {
      let result = try browserCheck(project.path(site), screenshots: project.path("shots-" + site))
      XCTAssertEqual(result.status, 0, result.output)
    }
    let shots = try FileManager.default.contentsOfDirectory(atPath: project.path("shots-site")).sorted()
    XCTAssertEqual(shots.count, 8, "two pages, two widths, two schemes")
    for shot in shots {
      let compacted = try Data(contentsOf: URL(fileURLWithPath: project.path("shots-site/" + shot)))
      let original = try Data(contentsOf: URL(fileURLWithPath: project.path("shots-site-full/" + shot)))
      XCTAssertTrue(compacted == original, "\(shot) differs between compacted and full KaTeX markup")
    }
  }

  /// A plot's text is drawn at the plot's scale; on a 390 px phone its 11-unit tick labels must
  /// stay at least 8.5 px (they were 6 px when figures shrank to the column).
  func testFigureTextIsReadableOnAPhone() throws {
    try requireBrowser()
    let project = try NotebookBinary(fixtures: ["plot.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let script = NotebookBinary.packageRoot.appendingPathComponent("scripts/figure_text.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [script, project.path("site"), "--width", "390", "--min", "8.5"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, output)
    let smallest = try XCTUnwrap(
      output.split(separator: "\n").first { $0.hasPrefix("figure text: smallest ") }?.split(separator: " ")[3])
    XCTAssertGreaterThanOrEqual(try XCTUnwrap(Double(smallest)), 8.5, output)
  }
}
