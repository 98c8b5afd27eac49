import Foundation
import XCTest

@testable import Latent

/// The area under the ROC curve against pair counting and scikit-learn, and Hanley and
/// McNeil's standard error against the spread of the area over simulated data sets.
final class ROCAreaTests: XCTestCase {
  let scores = [0.3, 1.2, 0.7, 0.7, 2.0, -0.4, 0.7, 1.5, 0.1, 1.2, 0.9, -1.0]
  let positive = [false, true, false, true, true, false, false, true, false, false, true, false]

  func testAreaCountsPairsWithTiesAsHalf() throws {
    let roc = try ROCArea(scores: scores, positive: positive)
    var wins = 0.0
    for i in scores.indices where positive[i] {
      for j in scores.indices where !positive[j] {
        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
      }
    }
    XCTAssertEqual(roc.positives, 5)
    XCTAssertEqual(roc.negatives, 7)
    assertClose(roc.area, wins / 35, tol: 1e-15)
    // scikit-learn 1.8.0: roc_auc_score(positive, scores) = 0.8999999999999999.
    assertClose(roc.area, 0.8999999999999999, tol: 1e-15)
    // Reversing the score reflects the area about ½.
    assertClose(try ROCArea(scores: scores.map { -$0 }, positive: positive).area, 1 - roc.area, tol: 1e-15)
  }

  func testChanceStandardErrorIsTheMannWhitneyNullDeviation() throws {
    let roc = try ROCArea(scores: scores, positive: positive)
    assertClose(roc.chanceStandardError, (13.0 / (12 * 35)).squareRoot(), tol: 1e-15)
    assertClose(roc.standardErrorsFromChance, (roc.area - 0.5) / roc.chanceStandardError, tol: 1e-15)
  }

  /// For exponential scores Hanley and McNeil's Q₁ = A/(2 − A) and Q₂ = 2A²/(1 + A) are exact,
  /// so their standard error is the true standard deviation of the area: compared with its
  /// spread over 4000 simulated data sets (20 positives at rate 1, 30 negatives at rate 3, A = ¾).
  func testStandardErrorMatchesTheSpreadForExponentialScores() throws {
    var rng = SeededGenerator(seed: 11)
    let labels = [Bool](repeating: true, count: 20) + [Bool](repeating: false, count: 30)
    var areas = [Double]()
    for _ in 0..<4000 {
      let s = labels.map { isPositive in -Foundation.log(1 - rng.uniform()) / (isPositive ? 1 : 3) }
      areas.append(try ROCArea(scores: s, positive: labels).area)
    }
    let spread = MonteCarloEstimate(areas)
    assertClose(spread.mean, 0.75, tol: 0.003)
    let predicted = ROCArea.hanleyMcNeil(area: 0.75, positives: 20, negatives: 30)
    // The sample standard deviation of 4000 draws is within about 2.2% of the truth (2 s.e.).
    assertClose(spread.variance.squareRoot() / predicted, 1, tol: 0.05)
  }

  func testErrors() {
    XCTAssertEqual(
      thrownMessage { try ROCArea(scores: [1, 2], positive: [true]) },
      "ROCArea: 2 scores but 1 labels; they must describe the same examples")
    XCTAssertEqual(
      thrownMessage { try ROCArea(scores: [1, 2], positive: [true, true]) },
      "ROCArea: 2 positive and 0 negative examples; both must be present")
    XCTAssertEqual(
      thrownMessage { try ROCArea(scores: [1, .nan], positive: [true, false]) }, "ROCArea: score 1 is NaN")
  }
}
