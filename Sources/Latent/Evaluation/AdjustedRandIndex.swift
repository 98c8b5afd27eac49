import Foundation

/// The adjusted Rand index of two labelings of the same n items (Hubert & Arabie 1985): how
/// often they agree on whether a pair of items belongs together, corrected for the agreement
/// two random labelings with the same cluster sizes would reach by chance.
///
/// With the contingency table nᵢⱼ (items labelled i by `a` and j by `b`), its row sums aᵢ and
/// column sums bⱼ, and C(m) = m(m − 1)/2 the number of pairs among m items:
///
///     index = Σᵢⱼ C(nᵢⱼ),   expected = Σᵢ C(aᵢ) · Σⱼ C(bⱼ) / C(n),   maximum = ½ [Σᵢ C(aᵢ) + Σⱼ C(bⱼ)],
///     ARI = (index − expected) / (maximum − expected).
///
/// It is 1 for identical partitions (whatever the label names: only the grouping counts), has
/// expectation 0 under random labelings with the given cluster sizes, and can be negative.
/// When both labelings put every item in one cluster, or every item in a cluster of its own,
/// maximum = expected and the index is defined as 1, as scikit-learn's `adjusted_rand_score`
/// does. The pair counts are exact integers (in Double up to n ≈ 10⁷).
///
/// - Throws: ``ModelError/invalidArgument(model:message:)`` when the labelings have different
///   lengths.
public func adjustedRandIndex(_ a: [Int], _ b: [Int]) throws -> Double {
  guard a.count == b.count else {
    throw ModelError.invalidArgument(
      model: "adjustedRandIndex",
      message: "the labelings have \(a.count) and \(b.count) entries; they must label the same items")
  }
  func pairs(_ m: Int) -> Double { Double(m) * Double(m - 1) / 2 }
  var cells: [Pair: Int] = [:], rows: [Int: Int] = [:], cols: [Int: Int] = [:]
  for (x, y) in zip(a, b) {
    cells[Pair(x, y), default: 0] += 1
    rows[x, default: 0] += 1
    cols[y, default: 0] += 1
  }
  let index = cells.values.reduce(0) { $0 + pairs($1) }
  let rowPairs = rows.values.reduce(0) { $0 + pairs($1) }
  let colPairs = cols.values.reduce(0) { $0 + pairs($1) }
  let total = pairs(a.count)
  let expected = total > 0 ? rowPairs * colPairs / total : 0
  let maximum = (rowPairs + colPairs) / 2
  if maximum == expected { return 1 }
  return (index - expected) / (maximum - expected)
}

private struct Pair: Hashable {
  let a: Int, b: Int
  init(_ a: Int, _ b: Int) { self.a = a; self.b = b }
}
