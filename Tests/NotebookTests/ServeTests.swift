import Foundation
import XCTest

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Drives `notebook serve` on a loopback port: a saved change produces a reload event and the
/// new content; a compile error shows in the page at its line; a page asked for before the
/// first build reloads itself; a port in use, an over-long request and a 404 are answered
/// at once and plainly.
final class ServeTests: XCTestCase {
  /// A `notebook serve` started in a scratch project, with its address and its stderr.
  private struct Server {
    let process: Process
    let base: URL
    let port: UInt16
    let stderr: URL

    /// Stops the server and returns what it printed on stderr.
    func stop() -> String {
      process.terminate()
      process.waitUntilExit()
      return (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
    }
  }

  private func serve(_ project: NotebookBinary, _ arguments: [String] = []) throws -> Server {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: NotebookBinary.executable)
    process.arguments = ["serve", "--port", "0", "--library-dir", NotebookBinary.libraryDirectory] + arguments
    process.currentDirectoryURL = project.project
    let output = Pipe()
    process.standardOutput = output
    let stderr = project.project.appendingPathComponent(".serve-err")
    _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: stderr)
    try process.run()

    // The first line names the address.
    var text = ""
    let deadline = Date().addingTimeInterval(30)
    while !text.contains("\n"), process.isRunning, Date() < deadline {
      text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    }
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("serving http://") }),
      let base = URL(string: String(line.dropFirst("serving ".count))), let port = base.port
    else {
      process.terminate()
      process.waitUntilExit()
      throw XCTSkip("serve printed no address: \(text)")
    }
    return Server(process: process, base: base, port: UInt16(port), stderr: stderr)
  }

  private func fetch(_ url: URL, timeout: TimeInterval = 60) throws -> (
    status: Int, contentType: String?, body: String
  ) {
    var request = URLRequest(url: url)
    request.timeoutInterval = timeout
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (Int, String?, String)?
    nonisolated(unsafe) var failure: Error?
    URLSession.shared.dataTask(with: request) { data, response, error in
      let http = response as? HTTPURLResponse
      result = (
        http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Content-Type"),
        data.map { String(decoding: $0, as: UTF8.self) } ?? ""
      )
      failure = error
      done.signal()
    }.resume()
    done.wait()
    if let failure { throw failure }
    let (status, contentType, body) = try XCTUnwrap(result)
    return (status, contentType, body)
  }

  private func get(_ url: URL) throws -> String { try fetch(url).body }

  /// The version in an `/__events` reply (`{"version":N}`).
  private func version(_ json: String) -> Int {
    guard json.hasPrefix("{\"version\":") else { return -1 }
    return Int(json.filter(\.isNumber)) ?? -1
  }

  private func events(_ base: URL, since: Int) throws -> Int {
    version(try get(try XCTUnwrap(URL(string: "__events?since=\(since)", relativeTo: base))))
  }

  /// Waits for the first build to finish; returns the site's version.
  private func firstBuild(_ base: URL) throws -> Int {
    var current = -1
    let deadline = Date().addingTimeInterval(60)
    while current < 1, Date() < deadline { current = try events(base, since: max(current, 0)) }
    return current
  }

  func testSavedChangeReloadsThePageWithNewContent() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    let server = try serve(project)
    defer { _ = server.stop() }
    let base = server.base
    XCTAssertEqual(base.host, "127.0.0.1")

    // Wait for the first build, then save an edit and wait for the reload event.
    let current = try firstBuild(base)
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

    let stderr = server.stop()
    XCTAssertFalse(stderr.contains("warning"), "no warning on loopback: \(stderr)")
  }

  /// The preview resumes a chapter from its checkpoint after an edit to its last block.
  func testAnEditToTheLastBlockResumesInThePreview() throws {
    let project = try NotebookBinary(fixtures: ["resumable.md"])
    defer { project.remove() }
    try FileManager.default.createDirectory(atPath: project.path("chapters/data"), withIntermediateDirectories: true)
    try project.write("chapters/data/numbers.txt", "1\n2\n")
    setenv("NOTEBOOK_CHECKPOINT_SECONDS", "0", 1)
    defer { unsetenv("NOTEBOOK_CHECKPOINT_SECONDS") }
    let server = try serve(project)
    defer { _ = server.stop() }
    let current = try firstBuild(server.base)
    let source = try XCTUnwrap(project.read("chapters/resumable.md"))
    try project.write(
      "chapters/resumable.md",
      source.replacingOccurrences(of: #"print("draw", draw"#, with: #"print("the draw:", draw"#))
    XCTAssertGreaterThan(try events(server.base, since: current), current)
    XCTAssertTrue(try get(server.base.appendingPathComponent("resumable.html")).contains("the draw:"))
    let stderr = server.stop()
    XCTAssertTrue(stderr.contains("chapters/resumable.md resumed after line"), stderr)
  }

  /// The address is printed before the first build ends; a page opened then is a "Building…"
  /// page that reloads itself, and the real page is there once the build is done.
  func testAPageOpenedBeforeTheFirstBuildReloadsWhenItIsDone() throws {
    // The endless loop runs into its 2 s timeout, so the first build cannot end sooner.
    let project = try NotebookBinary(fixtures: ["loop.md"])
    defer { project.remove() }
    let server = try serve(project, ["--host", "localhost", "--title", "A previewed course"])
    defer { _ = server.stop() }

    let early = try fetch(server.base)
    XCTAssertEqual(early.status, 200)
    XCTAssertEqual(early.contentType, "text/html; charset=utf-8")
    XCTAssertTrue(early.body.contains("<title>Building…</title>"), early.body)
    XCTAssertTrue(early.body.contains("<script src=\"/__live.js\"></script>"), "it reloads itself")
    XCTAssertEqual(try events(server.base, since: -1), 0, "no build has finished yet")

    // The script's long poll returns when the build is done; then the index is the real one.
    XCTAssertGreaterThanOrEqual(try firstBuild(server.base), 1)
    let index = try get(server.base)
    XCTAssertFalse(index.contains("Building…"), index)
    XCTAssertTrue(index.contains("loop.html"), index)
    XCTAssertTrue(index.contains("A previewed course"), "--title as for build")
    XCTAssertFalse(server.stop().contains("warning"), "localhost is loopback")
  }

  func testAPortInUseIsOneLineBeforeAnyBuild() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    let first = try serve(project)
    defer { _ = first.stop() }

    let second = Process()
    second.executableURL = URL(fileURLWithPath: NotebookBinary.executable)
    second.arguments = ["serve", "--port", "\(first.port)", "--library-dir", NotebookBinary.libraryDirectory]
    second.currentDirectoryURL = project.project
    let errors = Pipe()
    second.standardError = errors
    second.standardOutput = FileHandle.nullDevice
    let start = Date()
    try second.run()
    while second.isRunning, Date().timeIntervalSince(start) < 20 { Thread.sleep(forTimeInterval: 0.05) }
    if second.isRunning { second.terminate() }
    second.waitUntilExit()
    XCTAssertLessThan(Date().timeIntervalSince(start), 5, "said at once")
    XCTAssertEqual(second.terminationStatus, 1)
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    XCTAssertEqual(
      stderr,
      "notebook: error: port \(first.port) on 127.0.0.1 is in use; choose another with --port N (0 picks a free one)\n")
  }

  /// CPU seconds (user and system) a process has used so far, from /proc.
  private func cpuSeconds(_ pid: Int32) throws -> Double {
    let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
    // The fields after the command name, which ends at the last ')': utime and stime are the 12th and 13th.
    let end = try XCTUnwrap(stat.lastIndex(of: ")"))
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    return ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  /// A 400 KB request line took 93 s of CPU before it was refused; now it is refused at once.
  func testOverlongRequestsAreRefusedCheaply() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    let server = try serve(project)
    defer { _ = server.stop() }
    XCTAssertGreaterThanOrEqual(try firstBuild(server.base), 1)

    let before = try cpuSeconds(server.process.processIdentifier)
    let start = Date()
    let longLine = "GET /" + String(repeating: "a", count: 400_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    let refused = try LoopbackClient.exchange(port: server.port, request: Array(longLine.utf8))
    XCTAssertTrue(refused.hasPrefix("HTTP/1.1 414 URI Too Long\r\n"), String(refused.prefix(200)))
    XCTAssertFalse(refused.contains("aaaa"), "the path is not echoed")

    let fields = (0..<200).map { "X-Field-\($0): \(String(repeating: "b", count: 200))\r\n" }.joined()
    let manyFields = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fields + "\r\n"
    let refusedFields = try LoopbackClient.exchange(port: server.port, request: Array(manyFields.utf8))
    XCTAssertTrue(
      refusedFields.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), String(refusedFields.prefix(200)))

    let longField = "GET / HTTP/1.1\r\nX-Pad: " + String(repeating: "c", count: 400_000) + "\r\n\r\n"
    let refusedField = try LoopbackClient.exchange(port: server.port, request: Array(longField.utf8))
    XCTAssertTrue(refusedField.hasPrefix("HTTP/1.1 431 "), String(refusedField.prefix(200)))

    XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    XCTAssertLessThan(try cpuSeconds(server.process.processIdentifier) - before, 1)

    // A request at the limit is still answered.
    let atLimit = "GET /?" + String(repeating: "q", count: 8_000) + " HTTP/1.1\r\n\r\n"
    let answered = try LoopbackClient.exchange(port: server.port, request: Array(atLimit.utf8))
    XCTAssertTrue(answered.hasPrefix("HTTP/1.1 200 OK\r\n"), String(answered.prefix(200)))
  }

  func testANotFoundPageIsTypedAndDoesNotEchoThePath() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    let server = try serve(project)
    defer { _ = server.stop() }
    XCTAssertGreaterThanOrEqual(try firstBuild(server.base), 1)

    let missing = try fetch(try XCTUnwrap(URL(string: "no-such-page-%3Cb%3Emarker.html", relativeTo: server.base)))
    XCTAssertEqual(missing.status, 404)
    XCTAssertEqual(missing.contentType, "text/html; charset=utf-8")
    XCTAssertFalse(missing.body.contains("marker"), missing.body)
    XCTAssertFalse(missing.body.contains("no-such-page"), missing.body)
    XCTAssertTrue(missing.body.contains("<a href=\"/\">"), "it links to the contents")
  }

  func testAHostOtherThanLoopbackIsWarnedAbout() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    let server = try serve(project, ["--host", "0.0.0.0"])
    XCTAssertGreaterThanOrEqual(try firstBuild(server.base), 1)
    let stderr = server.stop()
    let warnings = stderr.split(separator: "\n").filter { $0.contains("warning") }
    XCTAssertEqual(
      warnings,
      [
        "notebook: warning: listening on 0.0.0.0, so other machines can reach the preview; "
          + "--host 127.0.0.1 keeps it on this one"
      ], stderr)
  }
}
