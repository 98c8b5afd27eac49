import XCTest

@testable import Latent

final class FactorizationTests: XCTestCase {
  // Literals from numpy 1.x/2.x (LAPACK): np.linalg.slogdet(A), np.linalg.eigvalsh(A)[::-1],
  // np.linalg.cholesky(A) for A = spd3 = [[4,2,0.6],[2,5,1.5],[0.6,1.5,3]].
  let numpyLogDet = 3.708682081410116
  let numpyEigenvalues: Vector = [7.1479955789576035, 2.8474199084736527, 2.0045845125687465]

  func testCholeskyMatchesNumpyAndReconstructs() throws {
    let ch = try spd3.cholesky()
    assertClose(ch.L, Matrix([[2, 0, 0], [1, 2, 0], [0.3, 0.6, 1.5968719422671311]]), tol: 1e-15)
    assertClose(ch.matrix, spd3, tol: 1e-14)
    assertClose(ch.logDeterminant, numpyLogDet, tol: 1e-14)
  }

  func testLogDeterminantAgreesWithEigenvaluesAndNumpy() throws {
    let eig = try spd3.symmetricEigen()
    let fromEigen = eig.values.reduce(0) { $0 + log($1) }
    assertClose(spd3.logDeterminant, fromEigen, tol: 1e-13)
    assertClose(spd3.logDeterminant, numpyLogDet, tol: 1e-14)
    // A matrix with negative determinant: numpy slogdet = (-1, 1.945910149055313), det = -7.
    let C = Matrix([[0, 2, 1], [1, 1, 0], [3, 0, 2]])
    let (s, l) = try C.signedLogDeterminant()
    XCTAssertEqual(s, -1)
    assertClose(l, 1.945910149055313, tol: 1e-14)
    assertClose(C.determinant, -7, tol: 1e-13)
    XCTAssertTrue(C.logDeterminant.isNaN)
    XCTAssertEqual(Matrix([[1, 2], [2, 4]]).logDeterminant, -.infinity)
  }

  func testInverseAgainstNumpyAndIdentity() throws {
    let C = Matrix([[0, 2, 1], [1, 1, 0], [3, 0, 2]])
    // np.linalg.inv(C) = (1/7) [[-2, 4, 1], [2, 3, -1], [3, -6, 2]].
    assertClose(C.inverse, Matrix([[-2, 4, 1], [2, 3, -1], [3, -6, 2]]) / 7, tol: 1e-15)
    assertClose(C * C.inverse, .identity(3), tol: 1e-15)
    assertClose(try spd3.cholesky().inverse * spd3, .identity(3), tol: 1e-14)
    XCTAssertEqual(
      thrownMessage { try Matrix([[1, 2], [2, 4]]).inverted() },
      "2x2 matrix is singular (zero pivot in column 2)")
  }

  func testSolvesHaveSmallResiduals() throws {
    var g = SeededGenerator(seed: 11)
    let n = 40
    let M = Matrix(rows: n, cols: n) { _, _ in Double.random(in: -1...1, using: &g) }
    let S = M.transposeTimes(M) + Matrix.identity(n)  // SPD
    let b = Vector((0..<n).map { _ in Double.random(in: -1...1, using: &g) })
    let B = Matrix(rows: n, cols: 3) { _, _ in Double.random(in: -1...1, using: &g) }
    XCTAssertLessThan((S * (try S.solve(b)) - b).norm, 1e-10)
    XCTAssertLessThan((S * (try S.solvePositiveDefinite(b)) - b).norm, 1e-10)
    XCTAssertLessThan((M * (try M.solve(b)) - b).norm, 1e-10)
    XCTAssertLessThan((S * (try S.solvePositiveDefinite(B)) - B).frobeniusNorm, 1e-10)
    XCTAssertLessThan((M * (try M.solve(B)) - B).frobeniusNorm, 1e-10)
    // Triangular solves with L and Lᵀ.
    let L = try S.cholesky().L
    XCTAssertLessThan((L * (try L.solveTriangular(b, lower: true)) - b).norm, 1e-11)
    XCTAssertLessThan((L.T * (try L.solveTriangular(b, lower: true, transposed: true)) - b).norm, 1e-11)
    let U = L.T
    XCTAssertLessThan((U * (try U.solveTriangular(B, lower: false)) - B).frobeniusNorm, 1e-11)
  }

  func testNonPositiveDefiniteCholeskyHasReadableError() {
    let A = Matrix([[1, 2], [2, 1]])  // eigenvalues 3 and −1
    XCTAssertEqual(
      thrownMessage { try A.cholesky() },
      "cholesky: 2x2 matrix is not positive definite (leading minor of order 2 is not positive)")
    XCTAssertEqual(
      thrownMessage { try Matrix(rows: 2, cols: 3).cholesky() },
      "cholesky: needs a square matrix, got 2x3")
    XCTAssertEqual(
      thrownMessage { try Matrix([[1, .nan], [.nan, 1]]).cholesky() },
      "cholesky: 2x2 matrix contains NaN or infinite entries")
    XCTAssertFalse(A.isPositiveDefinite)
    XCTAssertTrue(spd3.isPositiveDefinite)
    XCTAssertEqual(
      thrownMessage { try spd3.solvePositiveDefinite(Vector([1, 2])) },
      "positive-definite solve: 3x3 system with right-hand side of length 2")
  }

  func testSymmetricEigenIsDescendingOrthogonalAndMatchesNumpy() throws {
    let eig = try spd3.symmetricEigen()
    assertClose(eig.values, numpyEigenvalues, tol: 1e-13)
    XCTAssertTrue(zip(eig.values.dropLast(), eig.values.dropFirst()).allSatisfy { $0 >= $1 })
    assertClose(eig.vectors.transposeTimes(eig.vectors), .identity(3), tol: 1e-14)
    assertClose(eig.matrix, spd3, tol: 1e-13)
    for k in 0..<3 {
      let v = eig.vectors.column(k)
      assertClose(spd3 * v, eig.values[k] * v, tol: 1e-13)
      XCTAssertGreaterThan(v[v.indices.max { abs(v[$0]) < abs(v[$1]) }!], 0)
    }
  }

  func testSVDMatchesNumpyAndReconstructs() throws {
    let B = Matrix([[1, 2, 3], [4, 5, 6.5]])
    let s = try B.svd()
    // np.linalg.svd(B, compute_uv=False)
    assertClose(s.singularValues, [9.838862603421001, 0.6684180361148956], tol: 1e-13)
    XCTAssertEqual(s.U.shape.rows, 2); XCTAssertEqual(s.U.shape.cols, 2)
    XCTAssertEqual(s.Vt.shape.rows, 2); XCTAssertEqual(s.Vt.shape.cols, 3)
    assertClose(s.matrix, B, tol: 1e-13)
    assertClose(s.U.transposeTimes(s.U), .identity(2), tol: 1e-14)
    assertClose(s.Vt.timesTranspose(s.Vt), .identity(2), tol: 1e-14)
    let tall = try B.T.svd()
    assertClose(tall.matrix, B.T, tol: 1e-13)
    assertClose(tall.singularValues, s.singularValues, tol: 1e-13)
  }
}
