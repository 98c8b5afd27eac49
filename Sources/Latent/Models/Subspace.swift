import Foundation

/// The principal angles 0 ≤ θ₁ ≤ … ≤ θₖ ≤ π/2 between the column spaces of A and B
/// (k = the smaller column count), in radians.
///
/// With Q_A, Q_B orthonormal bases (left singular vectors of A and B), cos θᵢ are the
/// singular values of Q_AᵀQ_B and sin θᵢ those of Q_B − Q_A(Q_AᵀQ_B). Each angle is
/// atan2(sin, cos), which is accurate for small angles too (an arccos alone could not
/// resolve angles below about 1e-8).
/// - Throws: `LinearAlgebraError` if the row counts differ or an SVD fails.
public func principalAngles(between A: Matrix, and B: Matrix) throws -> Vector {
  guard A.rows == B.rows else {
    throw LinearAlgebraError.dimensionMismatch(
      "principal angles: \(A.shapeDescription) and \(B.shapeDescription) have different row counts")
  }
  var (a, b) = (A, B)
  if a.cols < b.cols { swap(&a, &b) }  // b has the fewer columns, k = b.cols
  let Qa = try a.svd().U, Qb = try b.svd().U
  let P = Qa.transposeTimes(Qb)
  let cosines = try P.svd().singularValues.scalars  // descending
  let residual = Qb - Qa * P
  var sines = try residual.svd().singularValues.scalars  // descending
  sines.reverse()  // ascending: pairs with descending cosines
  return Vector(
    (0..<cosines.count).map { i in
      Foundation.atan2(Swift.min(sines[i], 1), Swift.min(cosines[i], 1))
    })
}
