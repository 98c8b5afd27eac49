import NotebookEvents
import XCTest

/// A correct value near a rounding boundary passes on the offset grid; a wrong one fails both.
final class AnswerDigestTests: XCTestCase {
  func testTheOffsetGridStandsForTheCentreOfEachCell() {
    XCTAssertEqual(AnswerDigest.offsetGridCentre(1.2349999, digits: 3), "1.235e+00")
    XCTAssertEqual(AnswerDigest.offsetGridCentre(1.2350001, digits: 3), "1.235e+00")
    XCTAssertEqual(AnswerDigest.offsetGridCentre(1.2399, digits: 3), "1.235e+00")
    XCTAssertEqual(AnswerDigest.offsetGridCentre(1.2400, digits: 3), "1.245e+00")
    XCTAssertEqual(AnswerDigest.offsetGridCentre(-0.0567, digits: 2), "-5.65e-02")  // cell [-0.057, -0.056)
    // SHA-256 of "x|B|1.235e+00" and "x|1.23e+00", from `printf ... | sha256sum`.
    XCTAssertEqual(
      AnswerDigest.offset(exercise: "x", value: 1.2349999, digits: 3),
      "08a39c6aa80fdb11fcebcd4533c6b8403bd2612b455aa5eb9daeaec0b9846d14")
    XCTAssertEqual(
      AnswerDigest.answer(exercise: "x", value: 1.2349999, digits: 3),
      "7ac2d67d0e2438a2fdf26322acbb1d21ea93df2ccbb24746218e84e25d1e388c "
        + "08a39c6aa80fdb11fcebcd4533c6b8403bd2612b455aa5eb9daeaec0b9846d14")
  }

  func testACorrectValueAcrossARoundingBoundaryPasses() {
    let answer = AnswerDigest.answer(exercise: "x", value: 1.2349999, digits: 3)
    // 1.2350001 rounds to 1.24, the instructor's 1.2349999 to 1.23: the first grid disagrees.
    XCTAssertNotEqual(
      AnswerDigest.nearest(exercise: "x", value: 1.2350001, digits: 3),
      AnswerDigest.nearest(exercise: "x", value: 1.2349999, digits: 3))
    XCTAssertTrue(AnswerDigest.matches(exercise: "x", value: 1.2350001, digits: 3, answer: answer))
    XCTAssertTrue(AnswerDigest.matches(exercise: "x", value: 1.2349999, digits: 3, answer: answer))
    XCTAssertFalse(AnswerDigest.matches(exercise: "x", value: 1.26, digits: 3, answer: answer))
    XCTAssertFalse(AnswerDigest.matches(exercise: "y", value: 1.2349999, digits: 3, answer: answer))
    XCTAssertFalse(AnswerDigest.matches(exercise: "x", value: .nan, digits: 3, answer: answer))
  }

  func testWithinAQuarterUnitEveryValuePasses() {
    // Unit 0.01 at 3 digits around 1.2: any value within 0.0025 of the answer matches.
    for answerValue in stride(from: 1.2, to: 1.3, by: 0.00037) {
      let answer = AnswerDigest.answer(exercise: "x", value: answerValue, digits: 3)
      for offset in [-0.0024, -0.001, 0.001, 0.0024] {
        XCTAssertTrue(
          AnswerDigest.matches(exercise: "x", value: answerValue + offset, digits: 3, answer: answer),
          "\(answerValue + offset) against \(answerValue)")
      }
    }
  }

  func testAnAnswerOfOneDigestMatchesOnTheFirstGridOnly() {
    let old = AnswerDigest.nearest(exercise: "x", value: 1.2349999, digits: 3)
    XCTAssertTrue(AnswerDigest.matches(exercise: "x", value: 1.231, digits: 3, answer: old))
    XCTAssertFalse(AnswerDigest.matches(exercise: "x", value: 1.2350001, digits: 3, answer: old))
  }
}
