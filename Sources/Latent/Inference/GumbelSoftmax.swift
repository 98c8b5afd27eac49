import Foundation

// Discrete latent variables: the Gumbel-max trick draws exactly from a categorical
// distribution; the Gumbel-softmax (concrete) relaxation replaces its argmax by a softmax at a
// temperature τ, so that the sample becomes a differentiable function of the logits.

/// The Gumbel-max trick: with θ the logits of a categorical distribution (probabilities
/// softmax(θ)) and g₁, …, g_K independent Gumbel(0, 1) draws, argmaxₖ (θₖ + gₖ) is a draw from
/// it, exactly: P(argmax = k) = exp θₖ / Σⱼ exp θⱼ (Gumbel 1954; Maddison, Tarlow & Minka 2014).
/// One index per row of `noise`; `logits` is either one row shared by every row of the noise or
/// a matrix of its shape. Ties (probability 0) go to the smallest index.
///
/// - Throws: ``AutodiffError/shapeMismatch(operation:shapes:expected:)`` unless the logits are
///   1×K or of the noise's shape.
public func gumbelMax<M: DifferentiableMatrix>(logits: M, noise: M) throws -> [Int] {
  let (m, k) = (noise.rows, noise.cols)
  guard logits.cols == k, logits.rows == m || logits.rows == 1 else {
    throw AutodiffError.shapeMismatch(
      operation: "gumbelMax", shapes: [logits.shapeText, noise.shapeText],
      expected: "logits 1x\(k) or \(m)x\(k), one column per category")
  }
  let shared = logits.rows == 1
  return (0..<m).map { i in
    var best = 0, top = -M.Scalar.infinity
    for j in 0..<k {
      let v = logits.scalars[(shared ? 0 : i * k) + j] + noise.scalars[i * k + j]
      if v > top { top = v; best = j }
    }
    return best
  }
}

/// The one-hot rows e_{zₙ}: an n×`categories` matrix with a 1 in column zₙ of row n.
///
/// - Throws: ``AutodiffError/invalidArgument(operation:message:)`` for an index outside
///   0..<categories.
public func oneHot<M: DifferentiableMatrix>(_ indices: [Int], categories: Int) throws -> M {
  var out = M.zeros(indices.count, categories)
  for (i, k) in indices.enumerated() {
    guard k >= 0 && k < categories else {
      throw AutodiffError.invalidArgument(
        operation: "oneHot", message: "index \(k) at position \(i) is outside 0..<\(categories)")
    }
    out.scalars[i * categories + k] = 1
  }
  return out
}

/// The Gumbel-softmax (concrete) relaxation of a categorical sample (Jang, Gu & Poole 2017;
/// Maddison, Mnih & Teh 2017): y = softmax((θ + g)/τ) for each row, with g the Gumbel(0, 1)
/// `noise`, the logits θ on the tape (a shared 1×K row or one row per sample) and temperature τ.
///
/// y lies inside the simplex and is a differentiable function of θ, so a pathwise gradient
/// flows through it; as τ → 0 it tends to the one-hot vector of ``gumbelMax(logits:noise:)``
/// with the same noise. The gradient of E[f(y)] it estimates is not that of E[f(z)] for the
/// discrete z: it is biased for τ > 0, the bias shrinking as τ → 0 while the estimator's
/// variance grows (roughly as 1/τ).
///
/// - Throws: ``AutodiffError/shapeMismatch(operation:shapes:expected:)`` unless the logits are
///   1×K or of the noise's shape, and ``AutodiffError/invalidArgument(operation:message:)``
///   for a temperature that is not positive and finite.
public func gumbelSoftmax<M>(logits: Variable<M>, noise: M, temperature: M.Scalar) throws -> Variable<M> {
  let (m, k) = (noise.rows, noise.cols)
  guard logits.cols == k, logits.rows == m || logits.rows == 1 else {
    throw AutodiffError.shapeMismatch(
      operation: "gumbelSoftmax", shapes: [logits.value.shapeText, noise.shapeText],
      expected: "logits 1x\(k) or \(m)x\(k), one column per category")
  }
  guard temperature > 0 && temperature.isFinite else {
    throw AutodiffError.invalidArgument(
      operation: "gumbelSoftmax", message: "the temperature must be positive and finite, got \(temperature)")
  }
  return try ((logits + logits.tape.constant(noise)) * (1 / temperature)).softmax()
}

/// KL(Categorical(softmax ℓ) ‖ Uniform(K)) = Σₖ qₖ (log qₖ + log K) for each row of logits ℓ,
/// m×1, with log q from ``Variable/logSoftmax()`` (finite even where q rounds to 0): the
/// closed-form regularizer of a categorical posterior against a uniform prior. Composed of
/// recorded operations, so its gradient is theirs.
public func categoricalKL<M>(logits: Variable<M>) throws -> Variable<M> {
  let logQ = logits.logSoftmax()
  let k = M.Scalar(Foundation.log(Double(Swift.max(logits.cols, 1))))
  return try (logQ.exp() ⊙ (logQ + k)).sum(over: .columns)
}
