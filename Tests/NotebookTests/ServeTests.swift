import Foundation
import XCTest

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Drives `notebook serve` on a loopback port: a saved change produces a reload event and the
/// new content; a compile error shows in the page at its line.
final class ServeTests: XCTestCase {
  private func get(_ url: URL, timeout: TimeInterval = 60) throws -> String {
    var request = URLRequest(url: url)
    request.timeoutInterval = timeout
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var body: String?
    nonisolated(unsafe) var failure: Error?
    URLSession.shared.dataTask(with: request) { data, _, error in
      body = data.map { String(decoding: $0, as: UTF8.self) }
      failure = error
      done.signal()
    }.resume()
    done.wait()
    if let failure { throw failure }
    return body ?? ""
  }

  /// The version in an `/__events` reply (`{"version":N}`).
  private func version(_ json: String) -> Int {
    guard json.hasPrefix("{\"version\":") else { return -1 }
    return Int(json.filter(\.isNumber)) ?? -1
  }

  private func events(_ base: URL, since: Int) throws -> Int {
    version(try get(try XCTUnwrap(URL(string: "__events?since=\(since)", relativeTo: base))))
  }

  func testSavedChangeReloadsThePageWithNewContent() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: NotebookBinary.executable)
    process.arguments = ["serve", "--port", "0", "--library-dir", NotebookBinary.libraryDirectory]
    process.currentDirectoryURL = project.project
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
      process.terminate()
      process.waitUntilExit()
    }

    // The first line names the address.
    var text = ""
    let deadline = Date().addingTimeInterval(30)
    while !text.contains("serving http://127.0.0.1:"), Date() < deadline {
      text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    }
    let address = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("serving ") }?.dropFirst(8))
    let base = try XCTUnwrap(URL(string: String(address)))

    // Wait for the first build, then save an edit and wait for the reload event.
    var current = -1
    while current < 1, Date() < deadline { current = try events(base, since: -1) }
    XCTAssertGreaterThanOrEqual(current, 1)
    let page = try get(base.appendingPathComponent("good.html"))
    XCTAssertTrue(page.contains("/__live.js"), "pages carry the reload script")

    let source = try XCTUnwrap(project.read("chapters/good.md"))
    try project.write("chapters/good.md", source.replacingOccurrences(of: "The total is", with: "The grand total is"))
    let next = try events(base, since: current)
    XCTAssertGreaterThan(next, current, "a reload event after the save")
    XCTAssertTrue(try get(base.appendingPathComponent("good.html")).contains("The grand total is"))

    // A compile error replaces the stale page with the error at its line.
    try project.write(
      "chapters/good.md", source.replacingOccurrences(of: "let total = values.reduce(0, +)", with: "let total = nope"))
    XCTAssertGreaterThan(try events(base, since: next), next)
    let errorPage = try get(base.appendingPathComponent("good.html"))
    XCTAssertTrue(errorPage.contains("This chapter did not build"), errorPage)
    XCTAssertTrue(errorPage.contains("chapters/good.md:31:13: error: cannot find &#39;nope&#39; in scope"), errorPage)
  }
}
