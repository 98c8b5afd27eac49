import Foundation
import XCTest

@testable import Notebook

final class CacheTests: XCTestCase {
  func testSHA256MatchesThePublishedVectors() {
    // FIPS 180-2, appendix B.1 and the empty message.
    var abc = SHA256Digest()
    abc.update("abc")
    XCTAssertEqual(abc.hexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(SHA256Digest().hexDigest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  func testLinesInsideMovedCodeFollowIt() {
    let old = [
      ChapterProgram.Unit(kind: .cell, index: 0, line: 10, lineCount: 3),
      ChapterProgram.Unit(kind: .cell, index: 1, line: 20, lineCount: 2),
    ]
    let new = [
      ChapterProgram.Unit(kind: .cell, index: 0, line: 12, lineCount: 3),
      ChapterProgram.Unit(kind: .cell, index: 1, line: 30, lineCount: 2),
    ]
    let shift = LineShift(old: old, new: new)
    XCTAssertEqual(shift(11), 13)
    XCTAssertEqual(shift(21), 31)
    XCTAssertEqual(shift(15), 15, "a line outside any code unit stays")
  }
}
