import XCTest

@testable import Latent

final class MatrixTests: XCTestCase {
  func testConstructionAndSubscripts() {
    var A = Matrix([[1, 2, 3], [4, 5, 6]])
    XCTAssertEqual(A.rows, 2); XCTAssertEqual(A.cols, 3)
    XCTAssertEqual(A[1, 2], 6)
    A[0, 1] = 7
    XCTAssertEqual(A.scalars, [1, 7, 3, 4, 5, 6])
    XCTAssertEqual(A.transposed, Matrix([[1, 4], [7, 5], [3, 6]]))
    XCTAssertEqual(A.T.T, A)
    XCTAssertEqual(Matrix.identity(2), Matrix([[1, 0], [0, 1]]))
    XCTAssertEqual(Matrix.diagonal([2, 3]), Matrix([[2, 0], [0, 3]]))
    XCTAssertEqual(A.row(1), [4, 5, 6])
    XCTAssertEqual(A.column(1), [7, 5])
    XCTAssertEqual(A.rows(at: [1, 0]), Matrix([[4, 5, 6], [1, 7, 3]]))
    XCTAssertEqual(A.rows(1..<2), Matrix([[4, 5, 6]]))
    XCTAssertEqual(Matrix(columns: [[1, 2], [3, 4]]), Matrix([[1, 3], [2, 4]]))
  }

  func testValueSemantics() {
    let A = Matrix([[1, 2], [3, 4]])
    var B = A
    B[0, 0] = 100
    XCTAssertEqual(A[0, 0], 1)
  }

  func testLargeTransposeMatchesDefinition() {
    let A = Matrix(rows: 70, cols: 45) { i, j in Double(i * 1000 + j) }
    let T = A.transposed
    for i in 0..<70 { for j in 0..<45 { XCTAssertEqual(T[j, i], A[i, j]) } }
  }

  func testArithmetic() {
    let A = Matrix([[1, 2], [3, 4]]), B = Matrix([[5, 6], [7, 8]])
    XCTAssertEqual(A + B, Matrix([[6, 8], [10, 12]]))
    XCTAssertEqual(B - A, Matrix([[4, 4], [4, 4]]))
    XCTAssertEqual(A ⊙ B, Matrix([[5, 12], [21, 32]]))
    XCTAssertEqual(2 * A, Matrix([[2, 4], [6, 8]]))
    XCTAssertEqual(A / 2, Matrix([[0.5, 1], [1.5, 2]]))
    XCTAssertEqual(-A, Matrix([[-1, -2], [-3, -4]]))
    XCTAssertEqual(A - Vector([1, 2]), Matrix([[0, 0], [2, 2]]))
  }

  func testProductsAgainstHandComputedValues() {
    let A = Matrix([[1, 2], [3, 4], [5, 6]])  // 3x2
    let B = Matrix([[1, 0, 2], [0, 1, 3]])  // 2x3
    XCTAssertEqual(A * B, Matrix([[1, 2, 8], [3, 4, 18], [5, 6, 28]]))
    XCTAssertEqual(A * Vector([1, -1]), [-1, -1, -1])
    XCTAssertEqual(Vector([1, 1, 1]) * A, [9, 12])
    XCTAssertEqual(A.transposeTimes(A), Matrix([[35, 44], [44, 56]]))
    XCTAssertEqual(A.timesTranspose(A), Matrix([[5, 11, 17], [11, 25, 39], [17, 39, 61]]))
    XCTAssertEqual(Matrix.outer([1, 2], [3, 4, 5]), Matrix([[3, 4, 5], [6, 8, 10]]))
  }

  func testProductShapeMismatchMessageNamesBothShapes() {
    let A = Matrix(rows: 3, cols: 2), B = Matrix(rows: 3, cols: 2)
    XCTAssertEqual(
      thrownMessage { try A.multiplied(by: B) },
      "matrix product: 3x2 * 3x2: inner dimensions 2 and 3 differ")
    XCTAssertEqual(
      thrownMessage { try A.multiplied(by: Vector([1, 2, 3])) },
      "matrix-vector product: 3x2 * vector of length 3: inner dimensions 2 and 3 differ")
    XCTAssertEqual(
      thrownMessage { try FloatMatrix(A).multiplied(by: FloatMatrix(B)) },
      "matrix product: 3x2 * 3x2: inner dimensions 2 and 3 differ")
  }

  func testReductions() {
    let X = Matrix([[1, 2], [3, 6], [5, 10]])
    XCTAssertEqual(X.columnSums, [9, 18])
    XCTAssertEqual(X.rowSums, [3, 9, 15])
    XCTAssertEqual(X.columnMeans, [3, 6])
    XCTAssertEqual(X.rowMeans, [1.5, 4.5, 7.5])
    XCTAssertEqual(X.sum, 27)
    // Population variances: ((1-3)²+0+(5-3)²)/3 = 8/3, ((2-6)²+0+(10-6)²)/3 = 32/3.
    assertClose(X.columnVariances(), [8.0 / 3, 32.0 / 3], tol: 1e-14)
    assertClose(X.covariance(), Matrix([[8.0 / 3, 16.0 / 3], [16.0 / 3, 32.0 / 3]]), tol: 1e-14)
    assertClose(X.covariance(ddof: 1), Matrix([[4, 8], [8, 16]]), tol: 1e-14)
    assertClose(X.standardized.columnMeans, [0, 0], tol: 1e-15)
    assertClose(X.standardized.columnVariances(), [1, 1], tol: 1e-14)
    XCTAssertEqual(Matrix([[3, 4]]).frobeniusNorm, 5)
    XCTAssertEqual(Matrix([[1, 2], [3, 4]]).trace, 5)
  }

  func testDescriptionIsAligned() {
    let A = Matrix([[1, -2.5], [10, 0.125]])
    XCTAssertEqual(A.description, "⎡  1   -2.5 ⎤\n⎣ 10  0.125 ⎦")
    XCTAssertEqual(Matrix([[1, 2]]).description, "[ 1  2 ]")
    let big = Matrix(rows: 20, cols: 20)
    XCTAssertTrue(big.description.hasPrefix("20x20 matrix\n"))
    XCTAssertTrue(big.description.contains("…"))
  }

  func testFloatMatrixMatchesDoubleProduct() throws {
    var g = SeededGenerator(seed: 7)
    let A = Matrix(rows: 37, cols: 53) { _, _ in Double.random(in: -1...1, using: &g) }
    let B = Matrix(rows: 53, cols: 29) { _, _ in Double.random(in: -1...1, using: &g) }
    let fa = FloatMatrix(A), fb = FloatMatrix(B)
    // Reference: exact Double product of the Float-rounded inputs.
    let ref = Matrix(fa) * Matrix(fb)
    assertClose(Matrix(fa * fb), ref, tol: 1e-4)
    assertClose(Matrix(fa.T.transposeTimes(fb)), ref, tol: 1e-4)
    assertClose(Matrix(fa.timesTranspose(fb.T)), ref, tol: 1e-4)
    var C = FloatMatrix(rows: 37, cols: 29, repeating: 1)
    try FloatMatrix.multiply(fa, fb, into: &C, alpha: 2, beta: 1)
    assertClose(Matrix(C), 2 * ref + Matrix(rows: 37, cols: 29, repeating: 1), tol: 2e-4)
    XCTAssertEqual(FloatMatrix([[1, 2], [3, 4]]) + [10, 20], FloatMatrix([[11, 22], [13, 24]]))
    XCTAssertEqual(FloatMatrix([[1, 2], [3, 4]]).columnSums, [4, 6])
    // Empty products: no rows gives no rows; an empty inner dimension gives zeros.
    XCTAssertEqual(FloatMatrix(rows: 0, cols: 3) * FloatMatrix(rows: 3, cols: 2), FloatMatrix(rows: 0, cols: 2))
    XCTAssertEqual(FloatMatrix(rows: 2, cols: 0) * FloatMatrix(rows: 0, cols: 3), FloatMatrix(rows: 2, cols: 3))
    var scaled = FloatMatrix(rows: 2, cols: 3, repeating: 2)
    try FloatMatrix.multiply(FloatMatrix(rows: 2, cols: 0), FloatMatrix(rows: 0, cols: 3), into: &scaled, beta: 0.5)
    XCTAssertEqual(scaled, FloatMatrix(rows: 2, cols: 3, repeating: 1))
  }

  func testBLASThreadsConfigured() {
    // An explicit count wins over the lazy, environment-driven setup, even as the first call.
    BLAS.configure(threads: 3)
    XCTAssertEqual(BLAS.threadCount, 3)
    BLAS.configure(threads: 1)
    XCTAssertEqual(BLAS.threadCount, 1)
    BLAS.configure()
    XCTAssertEqual(BLAS.threadCount, BLAS.environmentThreadCount())
    // Debian's OpenBLAS reports its build, naming itself.
    XCTAssertTrue(BLAS.configuration.hasPrefix("OpenBLAS 0."), BLAS.configuration)
  }
}
