/// The Gaussian reparameterization z = μ + exp(½ log σ²) ⊙ ε for fixed noise ε (Kingma &
/// Welling 2014): z is a differentiable function of μ and log σ², so the gradient of a
/// Monte Carlo estimate flows into the encoder. Backward: ∂μ = ∂z, ∂log σ² = ½ ∂z ⊙ ε ⊙ σ.
/// One node, one pass each way; σ is kept from the forward pass.
///
/// - Throws: ``AutodiffError/shapeMismatch(operation:shapes:expected:)`` unless μ, log σ² and ε
///   have one shape, ``AutodiffError/differentTapes(operation:)`` for μ and log σ² of two tapes.
@_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
public func reparameterize<M>(mean: Variable<M>, logVariance: Variable<M>, noise: M) throws -> Variable<M> {
  let mu = mean.value, lv = logVariance.value
  guard mu.rows == lv.rows, mu.cols == lv.cols, noise.rows == mu.rows, noise.cols == mu.cols else {
    throw AutodiffError.shapeMismatch(
      operation: "reparameterize", shapes: [mu.shapeText, lv.shapeText, noise.shapeText],
      expected: "mean, log-variance and noise need one shape")
  }
  let tape = mean.tape
  guard logVariance.tape === tape else { throw AutodiffError.differentTapes(operation: "reparameterize") }
  let count = mu.rows * mu.cols
  var sigma = M.zeros(0, 0)
  let z = M.uninitialized(rows: mu.rows, cols: mu.cols) { pz in
    sigma = M.uninitialized(rows: mu.rows, cols: mu.cols) { ps in
      mu.scalars.withUnsafeBufferPointer { pm in
        lv.scalars.withUnsafeBufferPointer { pl in
          noise.scalars.withUnsafeBufferPointer { pe in
            M.Scalar._reparameterize(
              mean: pm.baseAddress!, logVariance: pl.baseAddress!, noise: pe.baseAddress!, sigma: ps, pz, count)
          }
        }
      }
    }
  }
  let (iMean, iLogVariance) = (mean.index, logVariance.index)
  let (needMean, needLogVariance) = (tape.needsGradient(mean), tape.needsGradient(logVariance))
  let s = sigma
  return tape.record(z, inputs: [mean, logVariance]) { g, grads in
    if count == 0 { return }
    g.scalars.withUnsafeBufferPointer { pg in
      let dz = pg.baseAddress!
      if needMean {
        grads.accumulate(into: iMean, shapedLike: mu) { dm in M.Scalar._accumulate(dz, into: dm, count) }
      }
      if needLogVariance {
        grads.accumulate(into: iLogVariance, shapedLike: lv) { dlv in
          noise.scalars.withUnsafeBufferPointer { pe in
            s.scalars.withUnsafeBufferPointer { ps in
              M.Scalar._reparameterizeBackward(
                noise: pe.baseAddress!, sigma: ps.baseAddress!, dz, logVarianceGradient: dlv, count)
            }
          }
        }
      }
    }
  }
}

/// log p(x | ℓ) = Σⱼ xⱼ ℓⱼ − softplus(ℓⱼ) for each row: independent Bernoulli pixels with
/// logits ℓ (probabilities σ(ℓ)), m×1, stable for any ℓ. Backward: ∂ℓ = ∂out ⊙ (x − σ(ℓ)).
///
/// - Throws: ``AutodiffError/shapeMismatch(operation:shapes:expected:)`` unless the logits
///   and targets have one shape.
@_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
public func bernoulliLogLikelihood<M>(logits: Variable<M>, targets: M) throws -> Variable<M> {
  let l = logits.value
  guard l.rows == targets.rows, l.cols == targets.cols else {
    throw AutodiffError.shapeMismatch(
      operation: "bernoulliLogLikelihood", shapes: [l.shapeText, targets.shapeText],
      expected: "logits and targets need one shape")
  }
  let (m, n) = (l.rows, l.cols)
  var out = M.zeros(m, 1)
  // x − σ(ℓ), every entry written by the kernel (no zeroing pass).
  let residual = M.uninitialized(rows: m, cols: n) { pr in
    l.scalars.withUnsafeBufferPointer { pl in
      targets.scalars.withUnsafeBufferPointer { px in
        out.scalars.withUnsafeMutableBufferPointer { po in
          M.Scalar._bernoulliLogLikelihood(
            logits: pl.baseAddress!, targets: px.baseAddress!, rows: m, cols: n, po.baseAddress!, residual: pr)
        }
      }
    }
  }
  let i = logits.index, r = residual
  return logits.tape.record(out, inputs: [logits]) { g, grads in
    if m * n == 0 { return }
    // ∂ℓᵢⱼ += ∂outᵢ (xᵢⱼ − σ(ℓᵢⱼ)): the residuals scaled by each row's gradient, written
    // directly when nothing else reached the logits (as in a VAE, where they feed only this).
    let rowsTimesGradient = Broadcast(m, n, m, 1)!
    grads.update(into: i, shapedLike: l) { dl, fresh in
      r.scalars.withUnsafeBufferPointer { pr in
        g.scalars.withUnsafeBufferPointer { pg in
          if fresh {
            M.Scalar._broadcast(.multiply, rowsTimesGradient, pr.baseAddress!, pg.baseAddress!, dl)
          } else {
            M.Scalar._broadcastBackward(
              .multiply, rowsTimesGradient, operand: 0, pr.baseAddress!, pg.baseAddress!, pr.baseAddress!, dl)
          }
        }
      }
    }
  }
}

/// log 𝒩(x; μ, diag σ²) = −½ Σⱼ [log 2π + log σⱼ² + (xⱼ − μⱼ)²/σⱼ²] for each row, m×1.
/// log σ² may be m×n, a shared 1×n row (a learned noise variance per feature) or 1×1
/// (one shared variance); x may be a constant or a variable. Composed of recorded
/// operations, so its gradient is theirs.
@_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
public func gaussianLogLikelihood<M>(_ x: Variable<M>, mean: Variable<M>, logVariance: Variable<M>) throws
  -> Variable<M>
{
  // Checked before anything is recorded: the mean and the log-variance must broadcast to x.
  let (xv, mv, lv) = (x.value, mean.value, logVariance.value)
  func fits(_ v: M) -> Bool {
    guard let b = Broadcast(xv.rows, xv.cols, v.rows, v.cols) else { return false }
    return b.rows == xv.rows && b.cols == xv.cols
  }
  guard fits(mv), fits(lv) else {
    throw AutodiffError.shapeMismatch(
      operation: "gaussianLogLikelihood", shapes: [xv.shapeText, mv.shapeText, lv.shapeText],
      expected: "the mean and the log-variance must broadcast to the data's shape")
  }
  let quadratic = try (x - mean).square() ⊙ (-logVariance).exp()
  let perEntry = try quadratic + logVariance + M.Scalar(logTwoPi)
  return M.Scalar(-0.5) * perEntry.sum(over: .columns)
}

/// KL(𝒩(μ, diag σ²) ‖ 𝒩(0, I)) = ½ Σⱼ (σⱼ² + μⱼ² − 1 − log σⱼ²) for each row, m×1: the
/// closed form of the ELBO's regularizer for a standard normal prior. log σ² may be m×n, a
/// shared 1×n row or 1×1. One node, one pass each way: ∂μ = ∂outᵢ μ, ∂log σ² = ½ ∂outᵢ (σ² − 1),
/// with σ² kept from the forward pass.
///
/// - Throws: ``AutodiffError/shapeMismatch(operation:shapes:expected:)`` unless log σ²
///   broadcasts to μ's shape, ``AutodiffError/differentTapes(operation:)`` for two tapes.
@_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
public func gaussianKL<M>(mean: Variable<M>, logVariance: Variable<M>) throws -> Variable<M> {
  let (mv, lv) = (mean.value, logVariance.value)
  guard let shape = Broadcast(mv.rows, mv.cols, lv.rows, lv.cols), shape.rows == mv.rows, shape.cols == mv.cols
  else {
    throw AutodiffError.shapeMismatch(
      operation: "gaussianKL", shapes: [mv.shapeText, lv.shapeText],
      expected: "the log-variance must broadcast to the mean's shape")
  }
  let tape = mean.tape
  guard logVariance.tape === tape else { throw AutodiffError.differentTapes(operation: "gaussianKL") }
  let (m, n) = (mv.rows, mv.cols)
  // σ² = exp(log σ²), in log σ²'s own shape (once per entry of a broadcast row).
  let variance = M.uninitialized(rows: lv.rows, cols: lv.cols) { pv in
    lv.scalars.withUnsafeBufferPointer { pl in M.Scalar._elementwise(.exp, pl.baseAddress!, pv, lv.scalars.count) }
  }
  var out = M.zeros(m, 1)
  if m * n > 0 {
    mv.scalars.withUnsafeBufferPointer { pm in
      lv.scalars.withUnsafeBufferPointer { pl in
        variance.scalars.withUnsafeBufferPointer { pv in
          out.scalars.withUnsafeMutableBufferPointer { po in
            M.Scalar._gaussianKL(
              shape, mean: pm.baseAddress!, logVariance: pl.baseAddress!, variance: pv.baseAddress!, po.baseAddress!)
          }
        }
      }
    }
  }
  let (iMean, iLogVariance) = (mean.index, logVariance.index)
  let (needMean, needLogVariance) = (tape.needsGradient(mean), tape.needsGradient(logVariance))
  return tape.record(out, inputs: [mean, logVariance]) { g, grads in
    if m * n == 0 { return }
    for (operand, index, like, needed) in [(0, iMean, mv, needMean), (1, iLogVariance, lv, needLogVariance)]
    where needed {
      grads.accumulate(into: index, shapedLike: like) { d in
        mv.scalars.withUnsafeBufferPointer { pm in
          variance.scalars.withUnsafeBufferPointer { pv in
            g.scalars.withUnsafeBufferPointer { pg in
              M.Scalar._gaussianKLBackward(
                shape, operand: operand, mean: pm.baseAddress!, variance: pv.baseAddress!, pg.baseAddress!, d)
            }
          }
        }
      }
    }
  }
}

/// KL(𝒩(μ, diag σ²) ‖ 𝒩(m, diag s²)) = ½ Σⱼ [log sⱼ² − log σⱼ² + (σⱼ² + (μⱼ − mⱼ)²)/sⱼ² − 1] for
/// each row, m×1: the regularizer of a VAE whose prior is itself an output (a conditional prior
/// p(z | y), as in the conditional VAE). Composed of recorded operations, so gradients flow into
/// both Gaussians.
///
/// - Throws: ``AutodiffError/shapeMismatch(operation:shapes:expected:)`` unless the four
///   matrices have one shape.
@_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
public func gaussianKL<M>(
  mean: Variable<M>, logVariance: Variable<M>, priorMean: Variable<M>, priorLogVariance: Variable<M>
) throws -> Variable<M> {
  let values = [mean.value, logVariance.value, priorMean.value, priorLogVariance.value]
  guard values.allSatisfy({ $0.rows == values[0].rows && $0.cols == values[0].cols }) else {
    throw AutodiffError.shapeMismatch(
      operation: "gaussianKL", shapes: values.map(\.shapeText),
      expected: "the two means and two log-variances need one shape")
  }
  let ratio = try (logVariance - priorLogVariance).exp()
  let distance = try (mean - priorMean).square() ⊙ (-priorLogVariance).exp()
  let perEntry = try ratio + distance - (logVariance - priorLogVariance) - M.Scalar(1)
  return M.Scalar(0.5) * perEntry.sum(over: .columns)
}
