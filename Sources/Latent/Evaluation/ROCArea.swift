import Foundation

/// The area under the ROC curve (AUROC) of a score for telling positive examples from
/// negative ones: the probability that a random positive scores higher than a random negative,
/// ties counting one half (the Mann–Whitney statistic U divided by n⁺n⁻),
///
///     A = [Σ ranks of the positives − n⁺(n⁺ + 1)/2] / (n⁺ n⁻),
///
/// with tied scores given their average rank. A = ½ is chance; A = 1 puts every positive above
/// every negative.
///
/// ```swift
/// let roc = try ROCArea(scores: [0.9, 0.4, 0.7, 0.1], positive: [true, false, true, false])
/// print(roc.area, roc.standardError)   // 1.0, and Hanley and McNeil's standard error
/// ```
public struct ROCArea: Sendable, Hashable, Codable {
  /// A, the area under the curve.
  public let area: Double
  /// n⁺, the number of positive examples.
  public let positives: Int
  /// n⁻, the number of negative examples.
  public let negatives: Int

  /// The area for `scores`, higher meaning "more likely positive", and the labels `positive`.
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` when the arrays differ in length,
  ///   a score is NaN, or either class is empty.
  public init(scores: [Double], positive: [Bool]) throws {
    guard scores.count == positive.count else {
      throw ModelError.invalidArgument(
        model: "ROCArea",
        message: "\(scores.count) scores but \(positive.count) labels; they must describe the same examples")
    }
    if let bad = scores.firstIndex(where: \.isNaN) {
      throw ModelError.invalidArgument(model: "ROCArea", message: "score \(bad) is NaN")
    }
    let nPositive = positive.filter { $0 }.count, nNegative = positive.count - nPositive
    guard nPositive > 0, nNegative > 0 else {
      throw ModelError.invalidArgument(
        model: "ROCArea", message: "\(nPositive) positive and \(nNegative) negative examples; both must be present")
    }
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0, start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
      let averageRank = Double(start + end) / 2 + 1  // ranks are 1-based
      for k in start...end where positive[order[k]] { rankSum += averageRank }
      start = end + 1
    }
    let p = Double(nPositive), n = Double(nNegative)
    area = (rankSum - p * (p + 1) / 2) / (p * n)
    positives = nPositive; negatives = nNegative
  }

  /// Hanley & McNeil's (1982) standard error of A,
  /// √{[A(1 − A) + (n⁺ − 1)(Q₁ − A²) + (n⁻ − 1)(Q₂ − A²)] / (n⁺ n⁻)}, Q₁ = A/(2 − A),
  /// Q₂ = 2A²/(1 + A).
  public var standardError: Double { Self.hanleyMcNeil(area: area, positives: positives, negatives: negatives) }

  /// The same standard error at A = ½, a score that cannot tell the classes apart: it reduces to
  /// √[(n⁺ + n⁻ + 1)/(12 n⁺ n⁻)], the null standard deviation of the Mann–Whitney statistic.
  public var chanceStandardError: Double { Self.hanleyMcNeil(area: 0.5, positives: positives, negatives: negatives) }

  /// How many chance standard errors A lies from ½ (positive when positives score higher).
  public var standardErrorsFromChance: Double { (area - 0.5) / chanceStandardError }

  static func hanleyMcNeil(area a: Double, positives: Int, negatives: Int) -> Double {
    let q1 = a / (2 - a), q2 = 2 * a * a / (1 + a)
    let p = Double(positives), n = Double(negatives)
    return ((a * (1 - a) + (p - 1) * (q1 - a * a) + (n - 1) * (q2 - a * a)) / (p * n)).squareRoot()
  }
}
