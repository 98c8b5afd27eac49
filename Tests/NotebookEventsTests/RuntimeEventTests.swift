import Foundation
import NotebookEvents
import XCTest

/// The records a chapter program sends the engine, through their JSON lines and back.
final class RuntimeEventTests: XCTestCase {
  let check = CheckRecord(
    label: "loss \"after\" 10 steps\n\ttab", expectation: "= 3.125 ± 1e-12", value: "3.125000000001",
    passed: false, detail: "off by 1e-12 — \\ and / and \u{0}", file: "chapters/01 \"ünïcode\".md", line: 42,
    exercise: "ex-1", valueDigest: String(repeating: "ab", count: 32))
  let figure = FigureRecord(
    file: "figure-1.svg", format: .svg, altText: "A curve: y = x² < 1 & > 0", caption: "Line one\nline two",
    label: "fig-curve", line: 7)

  /// One of every case, with text that JSON must escape and numbers at their limits.
  var everyCase: [RuntimeEvent] {
    [
      .blockStarted(index: 0, outputOffset: 0),
      .blockStarted(index: 12, outputOffset: Int64.max),
      .blockStarted(index: Int.max, outputOffset: 1 << 40),
      .checkFinished(check),
      .checkFinished(
        CheckRecord(
          label: "", expectation: "≤ 246", value: "", passed: true, detail: nil, file: "", line: 0)),
      .figureWritten(figure),
      .figureWritten(FigureRecord(file: "figure-2.table", format: .table, altText: "", caption: nil)),
      .inlineValue(index: 3, text: "−∞"),
      .inlineValue(index: 4, text: "line\nbreak, \"quotes\", \\backslash\\, emoji 🎲, NUL \u{0}, \r\n"),
      .inlineValue(index: 5, text: ""),
      .programFinished,
      .checkpointSaved(afterBlock: 2, manifestPath: "/tmp/check points/after-2.json"),
      .checkpointsStopped(reason: "`model` is a program.Model, which cannot be saved (it is not Codable)"),
    ]
  }

  func testEveryCaseSurvivesItsJSONLine() throws {
    for event in everyCase {
      let line = try event.jsonLine()
      XCTAssertEqual(line.last, 0x0A, "\(event)")
      XCTAssertEqual(line.filter { $0 == 0x0A }.count, 1, "one line, whatever the text holds: \(event)")
      XCTAssertEqual(RuntimeEvent.records(inLog: line), [event])
    }
  }

  func testALogReadsBackInOrder() throws {
    let log = try everyCase.reduce(into: Data()) { $0 += try $1.jsonLine() }
    XCTAssertEqual(RuntimeEvent.records(inLog: log), everyCase)
  }

  /// The format the engine and a chapter program agree on, spelled out: a change to it shows here.
  func testTheWireFormatIsAKindAndTheCaseFields() throws {
    func line(_ event: RuntimeEvent) throws -> String { String(decoding: try event.jsonLine(), as: UTF8.self) }
    XCTAssertEqual(
      try line(.blockStarted(index: 2, outputOffset: 1045)),
      #"{"index":2,"kind":"blockStarted","outputOffset":1045}"# + "\n")
    XCTAssertEqual(
      try line(.inlineValue(index: 1, text: "a\"b\n")), #"{"index":1,"kind":"inlineValue","text":"a\"b\n"}"# + "\n")
    XCTAssertEqual(try line(.programFinished), #"{"kind":"programFinished"}"# + "\n")
    XCTAssertEqual(
      try line(.checkpointSaved(afterBlock: 3, manifestPath: "after-3.json")),
      #"{"afterBlock":3,"kind":"checkpointSaved","manifestPath":"after-3.json"}"# + "\n")
    XCTAssertEqual(
      try line(.checkpointsStopped(reason: "why")), #"{"kind":"checkpointsStopped","reason":"why"}"# + "\n")
    let checkLine = try XCTUnwrap(
      JSONSerialization.jsonObject(with: try RuntimeEvent.checkFinished(check).jsonLine()) as? [String: Any])
    XCTAssertEqual(Set(checkLine.keys), ["kind", "check"])
    XCTAssertEqual(checkLine["kind"] as? String, "checkFinished")
    let figureLine = try XCTUnwrap(
      JSONSerialization.jsonObject(with: try RuntimeEvent.figureWritten(figure).jsonLine()) as? [String: Any])
    XCTAssertEqual(Set(figureLine.keys), ["kind", "figure"])
    XCTAssertEqual(figureLine["kind"] as? String, "figureWritten")
  }

  /// A program killed in the middle of a write leaves its last line cut short: the records
  /// before it are kept, and the broken one is skipped, wherever it was cut.
  func testATruncatedLastLineIsSkipped() throws {
    let complete = try everyCase.prefix(4).reduce(into: Data()) { $0 += try $1.jsonLine() }
    let last = try RuntimeEvent.checkFinished(check).jsonLine()
    for cut in 1..<(last.count - 1) {
      XCTAssertEqual(
        RuntimeEvent.records(inLog: complete + last.prefix(cut)), Array(everyCase.prefix(4)), "cut after \(cut) bytes")
      XCTAssertEqual(RuntimeEvent.read(log: complete + last.prefix(cut)).unreadable, 0, "a cut last line is expected")
    }
  }

  func testLinesOfAnUnknownKindOrMissingFieldsAreSkipped() throws {
    let good = try RuntimeEvent.programFinished.jsonLine()
    let log =
      Data(#"{"kind":"somethingNew","index":1}"#.utf8) + [0x0A] + Data(#"{"kind":"blockStarted","index":1}"#.utf8)
      + [0x0A] + Data("not json\n\n".utf8) + good
    XCTAssertEqual(RuntimeEvent.records(inLog: log), [.programFinished])
    XCTAssertEqual(RuntimeEvent.read(log: log).unreadable, 3, "whole lines that do not decode are counted")
  }
}
