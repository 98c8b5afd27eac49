import XCTest

@testable import Latent

/// Dense layers, activations, fast math kernels and Adam. Gradients are checked against
/// central differences of a Double re-implementation of the forward pass.
final class DenseLayerTests: XCTestCase {
  func randomMatrix(_ rows: Int, _ cols: Int, _ rng: inout SeededGenerator, scale: Double = 1) -> FloatMatrix {
    FloatMatrix(
      rows: rows, cols: cols, scalars: (0..<(rows * cols)).map { _ in Float(scale * (2 * rng.uniform() - 1)) })
  }

  /// f(x W + b) in Double.
  func referenceForward(_ layer: Dense, w: [Double], b: [Double], x: [Double], rows: Int) -> [Double] {
    let (i, o) = (layer.inputCount, layer.outputCount)
    var y = [Double](repeating: 0, count: rows * o)
    for r in 0..<rows {
      for j in 0..<o {
        var a = b[j]
        for k in 0..<i { a += x[r * i + k] * w[k * o + j] }
        switch layer.activation {
        case .identity: y[r * o + j] = a
        case .relu: y[r * o + j] = max(a, 0)
        case .sigmoid: y[r * o + j] = 1 / (1 + exp(-a))
        case .tanh: y[r * o + j] = tanh(a)
        }
      }
    }
    return y
  }

  func testForwardMatchesReference() {
    var rng = SeededGenerator(seed: 1)
    for act in [Activation.identity, .relu, .sigmoid, .tanh] {
      let layer = Dense(inputs: 13, outputs: 11, activation: act, using: &rng)
      let x = randomMatrix(9, 13, &rng, scale: 3)
      let y = layer(x)
      let ref = referenceForward(
        layer, w: layer.weight.scalars.map(Double.init), b: layer.bias.map(Double.init),
        x: x.scalars.map(Double.init), rows: 9)
      for (a, b) in zip(y.scalars, ref) { XCTAssertEqual(Double(a), b, accuracy: 1e-5, "\(act)") }
    }
  }

  /// L = Σ cᵢⱼ yᵢⱼ with random c; ∂L/∂W, ∂L/∂b, ∂L/∂X against central differences.
  func testBackwardAgainstFiniteDifferences() throws {
    var rng = SeededGenerator(seed: 2)
    for act in [Activation.identity, .relu, .sigmoid, .tanh] {
      let (n, i, o) = (5, 7, 6)
      let layer = Dense(inputs: i, outputs: o, activation: act, using: &rng)
      let x = randomMatrix(n, i, &rng, scale: 2)
      let c = randomMatrix(n, o, &rng)
      let y = layer(x)
      var dy = c
      var g = Dense.Gradient(zerosLike: layer)
      var dx = FloatMatrix(rows: n, cols: i)
      try layer.backward(input: x, output: y, outputGradient: &dy, gradient: &g, inputGradient: &dx)

      let w = layer.weight.scalars.map(Double.init), b = layer.bias.map(Double.init), xs = x.scalars.map(Double.init)
      let cs = c.scalars.map(Double.init)
      func loss(_ w: [Double], _ b: [Double], _ xs: [Double]) -> Double {
        zip(referenceForward(layer, w: w, b: b, x: xs, rows: n), cs).reduce(0) { $0 + $1.0 * $1.1 }
      }
      let h = 1e-6
      /// Central difference in entry k of argument `which` (0: W, 1: b, 2: X).
      func fd(_ which: Int, _ k: Int) -> Double {
        func at(_ delta: Double) -> Double {
          var (w2, b2, x2) = (w, b, xs)
          switch which {
          case 0: w2[k] += delta
          case 1: b2[k] += delta
          default: x2[k] += delta
          }
          return loss(w2, b2, x2)
        }
        return (at(h) - at(-h)) / (2 * h)
      }
      for k in w.indices { XCTAssertEqual(Double(g.weight.scalars[k]), fd(0, k), accuracy: 1e-4, "\(act) ∂W[\(k)]") }
      for k in b.indices { XCTAssertEqual(Double(g.bias[k]), fd(1, k), accuracy: 1e-4, "\(act) ∂b[\(k)]") }
      for k in xs.indices { XCTAssertEqual(Double(dx.scalars[k]), fd(2, k), accuracy: 1e-4, "\(act) ∂X[\(k)]") }
    }
  }

  func testBackwardWithoutInputGradientAndShapeErrors() throws {
    var rng = SeededGenerator(seed: 3)
    let layer = Dense(inputs: 4, outputs: 3, activation: .relu, using: &rng)
    let x = randomMatrix(2, 4, &rng)
    let y = layer(x)
    var dy = FloatMatrix(rows: 2, cols: 3, repeating: 1)
    var g = Dense.Gradient(zerosLike: layer)
    try layer.backward(input: x, output: y, outputGradient: &dy, gradient: &g)
    // The same weight and bias gradients as the full backward pass.
    var dyFull = FloatMatrix(rows: 2, cols: 3, repeating: 1)
    var gFull = Dense.Gradient(zerosLike: layer)
    var dx = FloatMatrix(rows: 2, cols: 4)
    try layer.backward(input: x, output: y, outputGradient: &dyFull, gradient: &gFull, inputGradient: &dx)
    XCTAssertEqual(g.weight, gFull.weight)
    XCTAssertEqual(g.bias, gFull.bias)
    var badGradient = FloatMatrix(rows: 2, cols: 2)
    XCTAssertThrowsError(try layer.backward(input: x, output: y, outputGradient: &badGradient, gradient: &g)) {
      XCTAssert("\($0)".contains("2x2"), "\($0)")
    }
    var wrong = FloatMatrix(rows: 2, cols: 5)
    XCTAssertThrowsError(try layer.forward(x, into: &wrong)) { XCTAssert("\($0)".contains("2x3"), "\($0)") }
    XCTAssertThrowsError(try layer.forward(FloatMatrix(rows: 2, cols: 5), into: &wrong)) {
      XCTAssert("\($0)".contains("4 inputs"), "\($0)")
    }
  }

  func testFastMathAccuracy() {
    var maxExp = 0.0, maxLog = 0.0
    var xs = [Float](), ys = [Float]()
    for k in 0...20_000 {
      let x = Float(-87 + 175 * Double(k) / 20_000)
      let e = Double(FastMath.exp(x)), ref = Foundation.exp(Double(x))
      maxExp = max(maxExp, abs(e - ref) / ref)
      let y = Float(Double(k) / 20_000)
      let l = Double(FastMath.log1pUnit(y)), lref = Foundation.log1p(Double(y))
      maxLog = max(maxLog, abs(l - lref) / max(lref, 1e-30))
      xs.append(x); ys.append(y)
    }
    XCTAssertLessThan(maxExp, 1e-6)
    XCTAssertLessThan(maxLog, 1e-6)
    XCTAssertEqual(FastMath.exp(-200), Foundation.exp(-87.3), accuracy: 1e-38)
    XCTAssertEqual(FastMath.log1pUnit(1e-30), 1e-30, accuracy: 1e-37)
    // The eight-lane versions agree with the scalar ones.
    for s in stride(from: 0, to: xs.count - 8, by: 8) {
      let v = Float8((0..<8).map { xs[s + $0] }), u = Float8((0..<8).map { ys[s + $0] })
      let ev = FastMath.exp(v), lv = FastMath.log1pUnit(u)
      for j in 0..<8 {
        XCTAssertEqual(ev[j], FastMath.exp(xs[s + j]))
        XCTAssertEqual(lv[j], FastMath.log1pUnit(ys[s + j]))
      }
    }
  }

  func testFastSquareRoot() {
    var worst = 0.0
    for k in 0..<4000 {
      let x = Float8((0..<8).map { j in Float(pow(10.0, -29 + 40 * Double(k * 8 + j) / 32_000)) })
      let r = FastMath.squareRoot(x)
      for j in 0..<8 { worst = max(worst, abs(Double(r[j]) - Double(x[j]).squareRoot()) / Double(x[j]).squareRoot()) }
    }
    XCTAssertLessThan(worst, 5e-7)
    XCTAssertEqual(FastMath.squareRoot(Float8(repeating: 0)), Float8(repeating: 0))
  }

  func testSigmoidMatrixIsStable() {
    let m = FloatMatrix([[-200, -20, 0, 20, 200, 1]])
    let s = m.sigmoid
    XCTAssertEqual(s.scalars[0], 0, accuracy: 1e-30)
    XCTAssertEqual(s.scalars[1], Float(Foundation.exp(-20.0) / (1 + Foundation.exp(-20.0))), accuracy: 1e-12)
    XCTAssertEqual(s.scalars[2], 0.5)
    XCTAssertEqual(s.scalars[4], 1)
    XCTAssertEqual(Double(s.scalars[5]), 1 / (1 + Foundation.exp(-1.0)), accuracy: 1e-7)
  }

  /// One step by hand: m = 0.1g, v = 0.001g², m̂ = g, v̂ = g², θ ← θ − α g/(|g| + ε).
  func testAdamFirstStepAndConvergence() {
    var adam = Adam(learningRate: 0.1)
    var p: [Float] = (0..<37).map { Float($0) - 18 }
    let g: [Float] = p.map { 2 * $0 }
    adam.nextStep()
    let before = p
    adam.update(&p, gradient: g, slot: 0)
    for k in p.indices {
      let expected = Double(before[k]) - 0.1 * Double(g[k]) / (abs(Double(g[k])) + 1e-8)
      XCTAssertEqual(Double(p[k]), expected, accuracy: 1e-5)
    }
    // Minimises Σ θ² from there.
    for _ in 0..<2000 {
      adam.nextStep()
      let grad = p.map { 2 * $0 }
      adam.update(&p, gradient: grad, slot: 0)
    }
    XCTAssertLessThan(p.map { abs($0) }.max()!, 0.05)
    XCTAssertEqual(adam.step, 2001)
    XCTAssertEqual(Adam().learningRate, 1e-3)
    XCTAssertEqual(Adam().beta1, 0.9)
    XCTAssertEqual(Adam().beta2, 0.999)
    XCTAssertEqual(Adam().epsilon, 1e-8)
  }

  func testAdamInDoubleFirstStepAndConvergence() {
    // Kingma & Ba's first step: m̂₁ = g and v̂₁ = g², so θ₁ = θ₀ − α g/(|g| + ε) = θ₀ − α sign(g)
    // up to ε (exactly θ₀ where g = 0).
    var adam = Adam(learningRate: 0.1)
    var p: [Double] = (0..<37).map { Double($0) / 3 - 6 }
    let g = p.map { 2 * $0 }
    adam.nextStep()
    let before = p
    adam.update(&p, gradient: g, slot: 0)
    let (alpha, epsilon) = (Double(Float(0.1)), Double(Float(1e-8)))
    for k in p.indices where g[k] != 0 {
      let sign: Double = g[k] > 0 ? 1 : -1
      XCTAssertEqual(p[k], before[k] - alpha * g[k] / (abs(g[k]) + epsilon), accuracy: 1e-15)
      XCTAssertEqual(p[k], before[k] - alpha * sign, accuracy: alpha * epsilon / abs(g[k]) + 1e-15)
    }
    XCTAssertEqual(p[18], before[18])  // g = 0 at θ = 0
    // The Double moments are apart from the Float ones: Float slot 0 takes its own first step.
    var floats: [Float] = [1]
    adam.update(&floats, gradient: [2], slot: 0)
    XCTAssertEqual(floats[0], 1 - 0.1, accuracy: 1e-6)
    // Minimises Σ θ² from there, in Double.
    for _ in 0..<2000 {
      adam.nextStep()
      adam.update(&p, gradient: p.map { 2 * $0 }, slot: 0)
    }
    XCTAssertLessThan(p.map { abs($0) }.max()!, 0.05)
  }

  func testAdamUpdatesDenseLayer() throws {
    // Fit y = x W* with a linear layer.
    var rng = SeededGenerator(seed: 5)
    let target = Dense(inputs: 3, outputs: 2, using: &rng)
    var layer = Dense(inputs: 3, outputs: 2, using: &rng)
    let x = randomMatrix(64, 3, &rng)
    let y = target(x)
    var adam = Adam(learningRate: 0.05)
    var g = Dense.Gradient(zerosLike: layer)
    for _ in 0..<1000 {
      let out = layer(x)
      var d = out - y
      try layer.backward(input: x, output: out, outputGradient: &d, gradient: &g)
      adam.nextStep()
      adam.update(&layer, gradient: g, slot: 0)
    }
    for (a, b) in zip(layer.weight.scalars, target.weight.scalars) { XCTAssertEqual(a, b, accuracy: 1e-3) }
    for (a, b) in zip(layer.bias, target.bias) { XCTAssertEqual(a, b, accuracy: 1e-3) }
  }
}
