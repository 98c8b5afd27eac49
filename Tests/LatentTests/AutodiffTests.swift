import Foundation
import XCTest

@testable import Latent

/// Every tape operation's gradient against central finite differences in Double, on shapes
/// that exercise broadcasting and empty matrices; values against closed forms.
final class AutodiffTests: XCTestCase {
  /// A deterministic test matrix with entries spread over about [−1.5, 1.5].
  static func sample(_ rows: Int, _ cols: Int, seed: Double = 1, shift: Double = 0) -> Matrix {
    Matrix(rows: rows, cols: cols) { i, j in 1.5 * Foundation.sin(seed * Double(3 * i + 7 * j + 1)) + shift }
  }

  /// Compares ∂L/∂inputs from the tape with central differences of L = Σ out ⊙ R, R a fixed
  /// matrix (so every output entry contributes with its own weight); relative error ≤ `tol`.
  func checkGradients(
    _ inputs: [Matrix], tol: Double = 1e-7, file: StaticString = #filePath, line: UInt = #line,
    _ f: (Tape<Matrix>, [Variable<Matrix>]) throws -> Variable<Matrix>
  ) throws {
    func loss(_ values: [Matrix]) throws -> (Double, Tape<Matrix>, [Variable<Matrix>], Variable<Matrix>) {
      let tape = Tape<Matrix>()
      let vars = values.map { tape.parameter($0) }
      let out = try f(tape, vars)
      let weights = Self.sample(out.rows, out.cols, seed: 0.37)
      let l = try (out ⊙ tape.constant(weights)).sum()
      return (l.scalar, tape, vars, l)
    }
    let (_, tape, vars, l) = try loss(inputs)
    let grads = try tape.gradients(of: l)
    for (p, input) in inputs.enumerated() {
      let analytic = try grads[vars[p]]
      XCTAssertEqual(analytic.rows, input.rows, file: file, line: line)
      XCTAssertEqual(analytic.cols, input.cols, file: file, line: line)
      for k in input.scalars.indices {
        let h = 1e-5 * Swift.max(1, Swift.abs(input.scalars[k]))
        var plus = inputs, minus = inputs
        plus[p].scalars[k] += h
        minus[p].scalars[k] -= h
        let numeric = (try loss(plus).0 - loss(minus).0) / (2 * h)
        let error = Swift.abs(analytic.scalars[k] - numeric) / Swift.max(1, Swift.abs(numeric))
        XCTAssertLessThanOrEqual(
          error, tol, "input \(p) entry \(k): tape \(analytic.scalars[k]), finite differences \(numeric)", file: file,
          line: line)
      }
    }
  }

  func testMatrixProductAndAffine() throws {
    try checkGradients([Self.sample(3, 4), Self.sample(4, 2, seed: 2)]) { _, v in try v[0] * v[1] }
    try checkGradients([Self.sample(5, 3), Self.sample(3, 4, seed: 2), Self.sample(1, 4, seed: 3)]) { _, v in
      try Variable.affine(v[0], v[1], v[2])
    }
    for activation in [Activation.relu, .sigmoid, .tanh, .identity] {
      try checkGradients([Self.sample(5, 3), Self.sample(3, 4, seed: 2), Self.sample(1, 4, seed: 3)]) { _, v in
        try Variable.dense(v[0], v[1], v[2], activation: activation)
      }
    }
    // One variable as both factors: ∂A and ∂B land on it one after the other.
    try checkGradients([Self.sample(3, 3)]) { _, v in try v[0] * v[0] }
    // Empty shapes: no rows, and an empty inner dimension (the product is all zeros).
    try checkGradients([Self.sample(0, 3), Self.sample(3, 2)]) { _, v in try v[0] * v[1] }
    let tape = Tape<Matrix>()
    let a = tape.parameter(Matrix(rows: 3, cols: 0)), b = tape.parameter(Matrix(rows: 0, cols: 2))
    let c = try a * b
    XCTAssertEqual(c.value, Matrix(rows: 3, cols: 2))
    let g = try tape.gradients(of: c.sum())
    XCTAssertEqual(try g[a], Matrix(rows: 3, cols: 0))
    XCTAssertEqual(
      thrownMessage { try Variable.affine(a, b, tape.constant(Matrix(rows: 1, cols: 3))) },
      "affine: operands 3x0 and 0x2 and 1x3 do not fit (the bias must be 1x2)")
  }

  func testBroadcastingArithmetic() throws {
    let shapes: [((Int, Int), (Int, Int))] = [
      ((3, 4), (3, 4)), ((3, 4), (1, 4)), ((3, 4), (3, 1)), ((3, 4), (1, 1)), ((1, 4), (3, 1)), ((1, 1), (2, 3)),
      ((0, 4), (1, 4)), ((3, 0), (3, 1)),
    ]
    for ((ar, ac), (br, bc)) in shapes {
      let a = Self.sample(ar, ac), b = Self.sample(br, bc, seed: 2, shift: 3)  // b away from 0 for division
      try checkGradients([a, b]) { _, v in try v[0] + v[1] }
      try checkGradients([a, b]) { _, v in try v[0] - v[1] }
      try checkGradients([a, b]) { _, v in try v[0] ⊙ v[1] }
      try checkGradients([a, b]) { _, v in try v[0] / v[1] }
      try checkGradients([b, a]) { _, v in try v[0] - v[1] }
    }
    try checkGradients([Self.sample(2, 3)]) { _, v in 2 * v[0] + 1 }
    try checkGradients([Self.sample(2, 3)]) { _, v in 1 - v[0] / 4 }
    let tape = Tape<Matrix>()
    XCTAssertEqual(
      thrownMessage { try tape.constant(Matrix(rows: 3, cols: 4)) + tape.constant(Matrix(rows: 2, cols: 4)) },
      "add: operands 3x4 and 2x4 do not fit (each dimension equal, or 1 in one operand)")
    let c = try tape.constant(Matrix([[1, 2, 3]])) + tape.constant(Matrix([[10], [20]]))
    XCTAssertEqual(c.value, Matrix([[11, 12, 13], [21, 22, 23]]))
  }

  func testElementwiseFunctions() throws {
    // Away from relu's kink; log on positive inputs.
    let x = Self.sample(3, 5).map { $0 == 0 ? 0.25 : $0 }
    for f in ElementwiseFunction.allCases {
      let input = f == .log ? x.map { Swift.abs($0) + 0.1 } : x
      try checkGradients([input]) { _, v in v[0].apply(f) }
    }
    // Values against libm, and stability where the naive formulas overflow.
    let tape = Tape<Matrix>()
    let big = tape.constant(Matrix([[-800, -30, 0, 30, 800]]))
    XCTAssertEqual(
      big.softplus().value.scalars,
      [0, Foundation.log1p(Foundation.exp(-30)), Foundation.log(2), 30 + Foundation.log1p(Foundation.exp(-30)), 800])
    XCTAssertEqual(big.sigmoid().value.scalars[0], 0)
    XCTAssertEqual(big.sigmoid().value.scalars[4], 1)
    XCTAssertEqual(big.sigmoid().value.scalars[2], 0.5)
    XCTAssertEqual(big.tanh().value.scalars[3], Foundation.tanh(30))
    // The kink: relu′(0) is taken as 0.
    let z = tape.parameter(Matrix([[0, 1]]))
    XCTAssertEqual(try tape.gradients(of: z.relu().sum())[z], Matrix([[0, 1]]))
  }

  func testReductions() throws {
    let x = Self.sample(3, 4)
    try checkGradients([x]) { _, v in v[0].sum(over: .rows) }
    try checkGradients([x]) { _, v in v[0].sum(over: .columns) }
    try checkGradients([x]) { _, v in v[0].mean(over: .rows) }
    try checkGradients([x]) { _, v in v[0].mean() }
    try checkGradients([x]) { _, v in v[0].logSumExp(over: .rows) }
    try checkGradients([x]) { _, v in v[0].logSumExp(over: .columns) }
    // Stable far from 0: log(e¹⁰⁰⁰ + e¹⁰⁰⁰) = 1000 + log 2, and its gradient is softmax.
    let tape = Tape<Matrix>()
    let y = tape.parameter(Matrix([[1000, 1000], [-1000, -1001]]))
    let lse = y.logSumExp(over: .columns)
    XCTAssertEqual(lse.value.scalars[0], 1000 + Foundation.log(2), accuracy: 1e-12)
    XCTAssertEqual(lse.value.scalars[1], -1000 + Foundation.log1p(Foundation.exp(-1)), accuracy: 1e-12)
    let g = try tape.gradients(of: lse.sum())[y]
    XCTAssertEqual(g.scalars[0], 0.5, accuracy: 1e-12)  // log-sum-exp rounds at 1000 (ulp 1e-13)
    XCTAssertEqual(g.scalars[2], 1 / (1 + Foundation.exp(-1)), accuracy: 1e-12)
    // Empty: sums 0, log-sum-exp −∞.
    let empty = tape.constant(Matrix(rows: 2, cols: 0))
    XCTAssertEqual(empty.sum(over: .columns).value.scalars, [0, 0])
    XCTAssertEqual(empty.logSumExp(over: .columns).value.scalars, [-.infinity, -.infinity])
    XCTAssertEqual(tape.constant(Matrix(rows: 0, cols: 3)).sum(over: .rows).value.scalars, [0, 0, 0])
  }

  func testColumnsAndConcatenation() throws {
    let x = Self.sample(3, 5)
    try checkGradients([x]) { _, v in try v[0].columns(1..<4) }
    try checkGradients([x]) { _, v in try v[0].columns(2..<2) }
    try checkGradients([x, Self.sample(3, 2, seed: 2)]) { _, v in
      try Variable.concatenatingColumns([v[0], v[1], v[0].columns(0..<1)])
    }
    let tape = Tape<Matrix>()
    let v = tape.constant(x)
    XCTAssertEqual(
      thrownMessage { try v.columns(3..<6) }, "columns: columns 3..<6 out of range for a 3x5 matrix")
    XCTAssertEqual(
      thrownMessage { try Variable.concatenatingColumns([v, tape.constant(Matrix(rows: 2, cols: 1))]) },
      "concatenatingColumns: operands 3x5 and 2x1 do not fit (every part needs 3 rows)")
    let joined = try Variable.concatenatingColumns([v.columns(0..<2), v.columns(2..<5)])
    XCTAssertEqual(joined.value, x)
  }

  func testAVariableUsedTwiceGetsBothContributions() throws {
    try checkGradients([Self.sample(2, 3)]) { _, v in try v[0] ⊙ v[0] + v[0].exp() }
    let tape = Tape<Matrix>()
    let x = tape.parameter(Matrix([[3]]))
    let y = try x ⊙ x ⊙ x  // x³, d/dx = 3x² = 27
    XCTAssertEqual(try tape.gradients(of: y)[x], Matrix([[27]]))
  }

  func testProbabilisticHeads() throws {
    let mean = Self.sample(4, 3), logVariance = Self.sample(4, 3, seed: 2) * 0.5
    let noise = Self.sample(4, 3, seed: 3)
    try checkGradients([mean, logVariance]) { _, v in
      try reparameterize(mean: v[0], logVariance: v[1], noise: noise)
    }
    try checkGradients([mean, logVariance]) { _, v in try gaussianKL(mean: v[0], logVariance: v[1]) }
    let logits = Self.sample(4, 6) * 3
    let targets = Self.sample(4, 6, seed: 2).map { $0 > 0 ? 1 : 0 }
    try checkGradients([logits]) { _, v in try bernoulliLogLikelihood(logits: v[0], targets: targets) }
    let x = Self.sample(4, 3, seed: 5)
    for lvShape in [(4, 3), (1, 3), (1, 1)] {
      try checkGradients([x, mean, Self.sample(lvShape.0, lvShape.1, seed: 4) * 0.5]) { _, v in
        try gaussianLogLikelihood(v[0], mean: v[1], logVariance: v[2])
      }
    }

    // Values against closed forms written out here.
    let tape = Tape<Matrix>()
    let kl = try gaussianKL(mean: tape.constant(mean), logVariance: tape.constant(logVariance)).value
    for i in 0..<4 {
      var expected = 0.0
      for j in 0..<3 {
        let (m, lv) = (mean[i, j], logVariance[i, j])
        expected += 0.5 * (Foundation.exp(lv) + m * m - 1 - lv)
      }
      XCTAssertEqual(kl[i, 0], expected, accuracy: 1e-13)
    }
    let ll = try bernoulliLogLikelihood(logits: tape.constant(logits), targets: targets).value
    for i in 0..<4 {
      var expected = 0.0
      for j in 0..<6 {
        let p = 1 / (1 + Foundation.exp(-logits[i, j]))
        expected += targets[i, j] == 1 ? Foundation.log(p) : Foundation.log(1 - p)
      }
      XCTAssertEqual(ll[i, 0], expected, accuracy: 1e-12)
    }
    let shared = Matrix([[Foundation.log(0.7)]])
    let gll = try gaussianLogLikelihood(tape.constant(x), mean: tape.constant(mean), logVariance: tape.constant(shared))
    for i in 0..<4 {
      var expected = 0.0
      for j in 0..<3 { expected += Normal(mean: mean[i, j], variance: 0.7).logDensity(x[i, j]) }
      XCTAssertEqual(gll.value[i, 0], expected, accuracy: 1e-12)
    }
    let z = try reparameterize(mean: tape.constant(mean), logVariance: tape.constant(logVariance), noise: noise).value
    XCTAssertEqual(z[1, 2], mean[1, 2] + Foundation.exp(logVariance[1, 2] / 2) * noise[1, 2], accuracy: 1e-15)
  }

  func testKLBetweenTwoDiagonalGaussians() throws {
    let mean = Self.sample(4, 3), logVariance = Self.sample(4, 3, seed: 2) * 0.5
    let priorMean = Self.sample(4, 3, seed: 6), priorLogVariance = Self.sample(4, 3, seed: 7) * 0.5
    try checkGradients([mean, logVariance, priorMean, priorLogVariance]) { _, v in
      try gaussianKL(mean: v[0], logVariance: v[1], priorMean: v[2], priorLogVariance: v[3])
    }
    // Values: the sum over coordinates of the one-dimensional KL of `Normal`.
    let tape = Tape<Matrix>()
    let kl = try gaussianKL(
      mean: tape.constant(mean), logVariance: tape.constant(logVariance), priorMean: tape.constant(priorMean),
      priorLogVariance: tape.constant(priorLogVariance)
    ).value
    for i in 0..<4 {
      var expected = 0.0
      for j in 0..<3 {
        let q = Normal(mean: mean[i, j], variance: Foundation.exp(logVariance[i, j]))
        expected += q.klDivergence(to: Normal(mean: priorMean[i, j], variance: Foundation.exp(priorLogVariance[i, j])))
      }
      XCTAssertEqual(kl[i, 0], expected, accuracy: 1e-12)
    }
    // A standard-normal prior gives the one-argument form.
    let zeros = tape.constant(Matrix(rows: 4, cols: 3))
    let standard = try gaussianKL(
      mean: tape.constant(mean), logVariance: tape.constant(logVariance), priorMean: zeros, priorLogVariance: zeros)
    let closed = try gaussianKL(mean: tape.constant(mean), logVariance: tape.constant(logVariance))
    assertClose(standard.value, closed.value, tol: 1e-13)
    XCTAssertEqual(
      thrownMessage {
        try gaussianKL(
          mean: tape.constant(mean), logVariance: tape.constant(logVariance),
          priorMean: tape.constant(Matrix(rows: 1, cols: 3)),
          priorLogVariance: zeros)
      },
      "gaussianKL: operands 4x3 and 4x3 and 1x3 and 4x3 do not fit (the two means and two log-variances need one shape)"
    )
  }

  func testSoftmaxLogSoftmaxAndReshape() throws {
    // Gradients against central differences, on rows of different spreads and on empty shapes.
    let x = Self.sample(4, 5) * 2
    try checkGradients([x]) { _, v in v[0].softmax() }
    try checkGradients([x]) { _, v in v[0].logSoftmax() }
    try checkGradients([Self.sample(3, 1)]) { _, v in v[0].softmax() }  // one category: y = 1, gradient 0
    try checkGradients([Self.sample(0, 3)]) { _, v in v[0].logSoftmax() }
    try checkGradients([x]) { _, v in try v[0].reshaped(rows: 10, cols: 2) }
    try checkGradients([x]) { _, v in try v[0].reshaped(rows: 10, cols: 2).softmax().reshaped(rows: 4, cols: 5) }
    try checkGradients([x]) { _, v in try categoricalKL(logits: v[0]) }
    try checkGradients([x, Self.sample(1, 5, seed: 2)]) { _, v in
      try gumbelSoftmax(logits: v[1], noise: x, temperature: 0.7)
    }
    try checkGradients([x]) { _, v in try gumbelSoftmax(logits: v[0], noise: Self.sample(4, 5, seed: 3), temperature: 2)
    }

    // Values against the definitions written out here.
    let tape = Tape<Matrix>()
    let y = tape.constant(x).softmax().value, logY = tape.constant(x).logSoftmax().value
    for i in 0..<4 {
      let row = x.row(i).scalars
      let normalizer = row.map { Foundation.exp($0) }.reduce(0, +)
      for j in 0..<5 {
        XCTAssertEqual(y[i, j], Foundation.exp(row[j]) / normalizer, accuracy: 1e-15)
        XCTAssertEqual(logY[i, j], row[j] - Foundation.log(normalizer), accuracy: 1e-14)
      }
    }
    // Stable where eˣ overflows or underflows: rows of 1000s and of −1000s.
    let far = tape.constant(Matrix([[1000, 1000, 999], [-1000, -1001, -1002]]))
    let e1 = Foundation.exp(-1.0), e2 = Foundation.exp(-2.0)
    let (a, b) = (2 + e1, 1 + e1 + e2)
    assertClose(far.softmax().value, Matrix([[1 / a, 1 / a, e1 / a], [1 / b, e1 / b, e2 / b]]), tol: 1e-15)
    XCTAssertEqual(far.logSoftmax().value[1, 2], -2 - Foundation.log(1 + e1 + e2), accuracy: 1e-12)
    // KL(Cat(q) ‖ Uniform(K)) = Σ q log q + log K.
    let kl = try categoricalKL(logits: tape.constant(x)).value
    for i in 0..<4 {
      let q = (0..<5).map { y[i, $0] }
      XCTAssertEqual(kl[i, 0], q.map { $0 * Foundation.log($0) }.reduce(0, +) + Foundation.log(5), accuracy: 1e-14)
    }
    // Shape errors name the shapes.
    XCTAssertEqual(
      thrownMessage { try tape.constant(x).reshaped(rows: 3, cols: 7) },
      "reshaped: cannot reshape a 4x5 matrix (20 entries) to 3x7")
    XCTAssertEqual(
      thrownMessage { try gumbelSoftmax(logits: tape.constant(Matrix(rows: 2, cols: 5)), noise: x, temperature: 1) },
      "gumbelSoftmax: operands 2x5 and 4x5 do not fit (logits 1x5 or 4x5, one column per category)")
    XCTAssertEqual(
      thrownMessage { try gumbelSoftmax(logits: tape.constant(x), noise: x, temperature: 0) },
      "gumbelSoftmax: the temperature must be positive and finite, got 0.0")
  }

  func testSinglePrecisionKernelsAgreeWithDouble() throws {
    // The eight-lane Float kernels (relu, the Bernoulli head) against the Double ones.
    let logits = Self.sample(5, 37) * 6, targets = Self.sample(5, 37, seed: 2).map { $0 > 0 ? 1 : 0 }
    let d = Tape<Matrix>(), f = Tape<FloatMatrix>()
    let ld = d.parameter(logits), lf = f.parameter(FloatMatrix(logits))
    let lossD = try bernoulliLogLikelihood(logits: ld, targets: targets).relu().sum()
    let lossF = try bernoulliLogLikelihood(logits: lf, targets: FloatMatrix(targets)).relu().sum()
    XCTAssertEqual(lossF.scalar, lossD.scalar, accuracy: 1e-5 * Swift.abs(lossD.scalar))
    let hidden = Self.sample(5, 37, seed: 3)
    let hd = d.parameter(hidden), hf = f.parameter(FloatMatrix(hidden))
    let gd = try d.gradients(
      of: try (bernoulliLogLikelihood(logits: ld, targets: targets) + hd.relu().sum(over: .columns)).sum())
    let gf = try f.gradients(
      of: try (bernoulliLogLikelihood(logits: lf, targets: FloatMatrix(targets)) + hf.relu().sum(over: .columns)).sum())
    assertClose(Matrix(try gf[lf]), try gd[ld], tol: 1e-6)
    assertClose(Matrix(try gf[hf]), try gd[hd], tol: 0)
  }

  func testDenseLayerOnTapeMatchesItsHandWrittenBackward() throws {
    var rng = SeededGenerator(seed: 3)
    let layer = Dense(inputs: 7, outputs: 5, activation: .relu, using: &rng)
    let x = rng.normalFloatMatrix(rows: 4, cols: 7)
    let tape = Tape<FloatMatrix>()
    let bound = layer.parameters(on: tape)
    let input = tape.parameter(x)
    let y = try bound(input)
    XCTAssertEqual(y.value, layer(x))
    let weights = FloatMatrix(Self.sample(4, 5, seed: 0.37))
    let grads = try tape.gradients(of: try (y ⊙ tape.constant(weights)).sum())
    var handWritten = Dense.Gradient(zerosLike: layer)
    var dy = weights, dx = FloatMatrix(rows: 4, cols: 7)
    try layer.backward(input: x, output: y.value, outputGradient: &dy, gradient: &handWritten, inputGradient: &dx)
    let fromTape = try grads.gradient(of: bound)
    assertClose(Matrix(fromTape.weight), Matrix(handWritten.weight), tol: 1e-6)
    assertClose(Matrix([fromTape.bias.map(Double.init)]), Matrix([handWritten.bias.map(Double.init)]), tol: 1e-6)
    assertClose(Matrix(try grads[input]), Matrix(dx), tol: 1e-6)
  }

  func testErrorsNameTheProblem() throws {
    let tape = Tape<Matrix>(), other = Tape<Matrix>()
    let a = tape.parameter(Matrix(rows: 2, cols: 3)), b = other.parameter(Matrix(rows: 3, cols: 2))
    XCTAssertEqual(thrownMessage { try a * b }, "matrix product: the variables were recorded on different tapes")
    XCTAssertEqual(
      thrownMessage { try a * tape.constant(Matrix(rows: 2, cols: 2)) },
      "matrix product: operands 2x3 and 2x2 do not fit (inner dimensions 3 and 2 differ)")
    XCTAssertEqual(
      thrownMessage { try tape.gradients(of: a) },
      "gradients(of:): the loss must be a 1x1 matrix (sum or average it first), got 2x3")
    let nan = tape.constant(Matrix([[.nan]]))
    XCTAssertEqual(
      thrownMessage { try tape.gradients(of: nan) },
      "gradients(of:): the loss is nan; check the learning rate and the inputs for NaN or infinity")
    XCTAssertEqual(
      thrownMessage { try tape.gradients(of: a.sum())[b] },
      "gradients[...]: the variables were recorded on different tapes")
    XCTAssertEqual(
      thrownMessage { try reparameterize(mean: a, logVariance: a, noise: Matrix(rows: 3, cols: 2)) },
      "reparameterize: operands 2x3 and 2x3 and 3x2 do not fit (mean, log-variance and noise need one shape)")
    // Constants receive no gradient work: a loss of constants only leaves parameters at zero.
    let c = tape.constant(Matrix([[2]]))
    XCTAssertEqual(try tape.gradients(of: c.square())[a], Matrix(rows: 2, cols: 3))
  }

  /// The paths the small Double checks never reach: a 128×784×400 Float product split over
  /// threads, and a weight whose gradient is accumulated by a second product (β = 1), against
  /// the same computation in Double.
  func testLargeSinglePrecisionProductsAgreeWithDouble() throws {
    let x = Self.sample(128, 784, seed: 0.11), w = Self.sample(784, 400, seed: 0.13) * 0.05
    let b = Self.sample(1, 400, seed: 0.17)
    func gradients<M: DifferentiableMatrix>(_ tape: Tape<M>, _ x: M, _ w: M, _ b: M) throws -> (M, M) {
      let (vx, vw, vb) = (tape.parameter(x), tape.parameter(w), tape.parameter(b))
      let hidden = try Variable.dense(vx, vw, vb, activation: .tanh)
      let loss = try (hidden.square().sum() + (vx * vw).sum())  // W reached twice
      let g = try tape.gradients(of: loss)
      return (try g[vx], try g[vw])
    }
    let (dxD, dwD) = try gradients(Tape<Matrix>(), x, w, b)
    let (dxF, dwF) = try gradients(Tape<FloatMatrix>(), FloatMatrix(x), FloatMatrix(w), FloatMatrix(b))
    for (float, double) in [(Matrix(dxF), dxD), (Matrix(dwF), dwD)] {
      let scale = double.scalars.map(Swift.abs).max()!
      let error = zip(float.scalars, double.scalars).map { Swift.abs($0 - $1) }.max()!
      XCTAssertLessThanOrEqual(error / scale, 1e-5)
      XCTAssertFalse(float.scalars.contains { $0.isNaN })
    }
  }

  /// −∞ entries take no weight in log-sum-exp; a row of −∞ gives −∞ and no gradient; NaN and
  /// relu: NaN passes through in Double and in both Float paths (eight lanes and the tail).
  func testInfinitiesAndNaN() throws {
    let tape = Tape<Matrix>()
    let x = tape.parameter(Matrix([[-.infinity, 0, 1]]))
    let lse = x.logSumExp(over: .columns)
    XCTAssertEqual(lse.value.scalars[0], Foundation.log(1 + Foundation.exp(1)), accuracy: 1e-15)
    let g = try tape.gradients(of: lse)[x]
    XCTAssertEqual(g.scalars[0], 0)
    XCTAssertEqual(g.scalars[2], Foundation.exp(1) / (1 + Foundation.exp(1)), accuracy: 1e-15)
    // A row of −∞ gives −∞, and sends no gradient back (a finite loss that does not use it).
    let y = tape.parameter(Matrix([[-.infinity, -.infinity], [0, 0]]))
    let rows = y.logSumExp(over: .columns)
    XCTAssertEqual(rows.value.scalars[0], -.infinity)
    let finite = try rows.columns(0..<1).exp().sum()  // e^−∞ = 0 plus e^(log 2) = 2
    XCTAssertEqual(finite.scalar, 2, accuracy: 1e-15)
    XCTAssertEqual(try tape.gradients(of: finite)[y], Matrix([[0, 0], [1, 1]]))
    let withNaN = tape.constant(Matrix([[.nan, .nan], [.nan, 1], [-.infinity, .nan]]))
    XCTAssertTrue(withNaN.logSumExp(over: .columns).value.scalars.allSatisfy(\.isNaN))
    XCTAssertTrue(tape.constant(Matrix([[.nan]])).relu().value.scalars[0].isNaN)
    let floats = Tape<FloatMatrix>()
    let nine = floats.constant(FloatMatrix(rows: 1, cols: 9, scalars: [1, -1, .nan, 2, -2, 3, -3, 4, .nan]))
    let relu = nine.relu().value.scalars
    XCTAssertTrue(relu[2].isNaN && relu[8].isNaN, "\(relu)")
    XCTAssertEqual(relu[0], 1)
    XCTAssertEqual(relu[1], 0)
  }

  /// A node's backward closure captures values, never a variable (which would hold the tape
  /// that holds the closure): a tape and everything on it are freed once unused.
  func testATapeIsFreedOnceUnused() throws {
    weak var released: Tape<Matrix>?
    try {
      let tape = Tape<Matrix>()
      released = tape
      let x = tape.constant(Self.sample(4, 3)), w = tape.parameter(Self.sample(3, 6, seed: 2))
      let b = tape.parameter(Self.sample(1, 6, seed: 3))
      let gaussian = try Variable.dense(x, w, b, activation: .relu) + Variable.affine(x, w, b) + x * w
      let (mean, logVariance) = (try gaussian.columns(0..<3), try gaussian.columns(3..<6))
      let z = try reparameterize(mean: mean, logVariance: logVariance, noise: Self.sample(4, 3, seed: 4))
      let joined = try Variable.concatenatingColumns([z, mean]).tanh().logSumExp(over: .columns)
      let head = try bernoulliLogLikelihood(logits: z, targets: Self.sample(4, 3, seed: 5).map { $0 > 0 ? 1 : 0 })
      let loss = try (head - gaussianKL(mean: mean, logVariance: logVariance) + joined).sum()
      _ = try tape.gradients(of: loss)[w]
    }()
    XCTAssertNil(released)
  }

  func testGaussianHeadsNameTheirShapes() throws {
    let tape = Tape<Matrix>()
    let mean = tape.constant(Matrix(rows: 4, cols: 3)), logVariance = tape.constant(Matrix(rows: 4, cols: 2))
    let before = tape.count
    XCTAssertEqual(
      thrownMessage { try gaussianKL(mean: mean, logVariance: logVariance) },
      "gaussianKL: operands 4x3 and 4x2 do not fit (the log-variance must broadcast to the mean's shape)")
    XCTAssertEqual(
      thrownMessage { try gaussianLogLikelihood(mean, mean: mean, logVariance: logVariance) },
      "gaussianLogLikelihood: operands 4x3 and 4x3 and 4x2 do not fit (the mean and the log-variance must broadcast to the data's shape)"
    )
    XCTAssertEqual(tape.count, before, "a rejected call records nothing")
    // A 1×3 row of log-variances (one per feature) is fine.
    XCTAssertEqual(try gaussianKL(mean: mean, logVariance: tape.constant(Matrix(rows: 1, cols: 3))).rows, 4)
  }
}
