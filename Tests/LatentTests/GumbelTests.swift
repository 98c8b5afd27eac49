import Foundation
import XCTest

@testable import Latent

/// The Gumbel distribution against its closed forms, the Gumbel-max trick against the softmax
/// probabilities, and the Gumbel-softmax relaxation's limits.
final class GumbelTests: XCTestCase {
  func testGumbelClosedForms() throws {
    let g = try Gumbel(location: 0.5, scale: 2)
    // The density is the derivative of the CDF, and the quantile inverts it.
    for x in [-3.0, 0, 0.5, 2, 7] {
      let h = 1e-5
      let slope = (g.cdf(x + h) - g.cdf(x - h)) / (2 * h)
      XCTAssertEqual(g.density(x), slope, accuracy: 1e-9)
      XCTAssertEqual(g.quantile(g.cdf(x)), x, accuracy: 1e-9)
    }
    // Mean, variance and entropy by the midpoint rule over [μ − 20β, μ + 60β].
    var (mass, first, second, entropy) = (0.0, 0.0, 0.0, 0.0)
    let (lo, hi, n) = (0.5 - 40.0, 0.5 + 120.0, 400_000)
    let dx = (hi - lo) / Double(n)
    for i in 0..<n {
      let x = lo + (Double(i) + 0.5) * dx
      let p = g.density(x)
      mass += p * dx
      first += x * p * dx
      second += x * x * p * dx
      if p > 0 { entropy -= p * g.logDensity(x) * dx }
    }
    XCTAssertEqual(mass, 1, accuracy: 1e-10)
    XCTAssertEqual(first, g.mean, accuracy: 1e-8)
    XCTAssertEqual(second - first * first, g.variance, accuracy: 1e-7)
    XCTAssertEqual(entropy, g.entropy, accuracy: 1e-8)
    XCTAssertEqual(g.mean, 0.5 + 2 * 0.5772156649015329, accuracy: 1e-15)
    XCTAssertEqual(
      thrownMessage { try Gumbel(location: 0, scale: -1) },
      "Gumbel: location 0 and scale -1; the location must be finite and the scale positive and finite")
  }

  func testGumbelSamplesHaveTheRightMoments() {
    var rng = SeededGenerator(seed: 21)
    let draws = rng.gumbelMatrix(rows: 200_000, cols: 1).scalars
    let estimate = MonteCarloEstimate(draws)
    XCTAssertLessThan(Swift.abs(estimate.standardErrors(from: Gumbel.eulerGamma)), 4)
    XCTAssertEqual(estimate.variance, Double.pi * Double.pi / 6, accuracy: 0.03)
    XCTAssertTrue(draws.allSatisfy(\.isFinite))
    // The Float matrix rounds the same draws.
    var a = SeededGenerator(seed: 22), b = SeededGenerator(seed: 22)
    XCTAssertEqual(a.gumbelFloatMatrix(rows: 3, cols: 4), FloatMatrix(b.gumbelMatrix(rows: 3, cols: 4)))
  }

  func testGumbelMaxDrawsFromTheSoftmax() throws {
    // θ = log p for p = (0.5, 0.3, 0.15, 0.05): argmax(θ + g) lands in k with probability pₖ.
    let p = [0.5, 0.3, 0.15, 0.05]
    let logits = Matrix([p.map { Foundation.log($0) + 1.7 }])  // a shift changes nothing
    var rng = SeededGenerator(seed: 23)
    let n = 100_000
    let draws = try gumbelMax(logits: logits, noise: rng.gumbelMatrix(rows: n, cols: 4))
    for k in 0..<4 {
      let frequency = Double(draws.filter { $0 == k }.count) / Double(n)
      let standardError = (p[k] * (1 - p[k]) / Double(n)).squareRoot()
      XCTAssertLessThan(Swift.abs(frequency - p[k]) / standardError, 4, "category \(k)")
    }
    // One row of logits per row of noise; a hand example: θ + g = (1.2, 0.9, 1.5) → 2.
    XCTAssertEqual(
      try gumbelMax(logits: Matrix([[1, 0, 0], [0, 0, 0]]), noise: Matrix([[0.2, 0.9, 1.5], [0.1, 0.3, 0.2]])), [2, 1])
    XCTAssertEqual(
      thrownMessage { try gumbelMax(logits: Matrix(rows: 1, cols: 3), noise: Matrix(rows: 2, cols: 4)) },
      "gumbelMax: operands 1x3 and 2x4 do not fit (logits 1x4 or 2x4, one column per category)")
  }

  func testGumbelSoftmaxTendsToTheOneHotSample() throws {
    var rng = SeededGenerator(seed: 24)
    let logits = Matrix([[0.2, -1, 1.3, 0.4, 0]]), noise = rng.gumbelMatrix(rows: 50, cols: 5)
    let hard: Matrix = try oneHot(try gumbelMax(logits: logits, noise: noise), categories: 5)
    let tape = Tape<Matrix>()
    let cold = try gumbelSoftmax(logits: tape.constant(logits), noise: noise, temperature: 1e-4).value
    // Within e^(−gap/τ) of one-hot, where the gap between the two largest θ + g is rarely < 0.01.
    let gaps = (0..<50).map { i -> Double in
      let v = (0..<5).map { logits[0, $0] + noise[i, $0] }.sorted(by: >)
      return v[0] - v[1]
    }
    for i in 0..<50 where gaps[i] > 0.01 {
      for j in 0..<5 { XCTAssertEqual(cold[i, j], hard[i, j], accuracy: 1e-12) }
    }
    // At τ = 1 the relaxed sample is softmax(θ + g) itself.
    let warm = try gumbelSoftmax(logits: tape.constant(logits), noise: noise, temperature: 1).value
    let row = (0..<5).map { Foundation.exp(logits[0, $0] + noise[3, $0]) }
    for j in 0..<5 { XCTAssertEqual(warm[3, j], row[j] / row.reduce(0, +), accuracy: 1e-15) }
    XCTAssertEqual(
      thrownMessage { let _: Matrix = try oneHot([0, 3], categories: 3) },
      "oneHot: index 3 at position 1 is outside 0..<3")
  }
}
