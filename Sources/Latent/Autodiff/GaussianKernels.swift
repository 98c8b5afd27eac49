/// The loops of the Gaussian heads, the KL divergence to 𝒩(0, I) and the reparameterization,
/// each one pass for its forward and one for its backward: a VAE's latent layer as one node
/// apiece instead of a chain of small ones. Written once over the scalar type; each
/// ``DifferentiableScalar`` conformance calls them with a concrete type, so they are compiled
/// specialized.
///
/// Each expression is grouped as the chain of tape operations it replaces groups it
/// (σ² + μ², then − log σ², then − 1, summed over the row, then ½·), so the fused nodes
/// reproduce that chain's values bit for bit where no broadcasting is involved.
enum GaussianKernels {
  /// out[i] ← ½ Σⱼ (((σ² + μ²) − log σ²) − 1) over row i, σ² = `variance` (exp(log σ²)
  /// computed beforehand, kept for the backward pass); log σ² and σ² are operand b of `shape`.
  static func kl<S: DifferentiableScalar>(
    _ shape: Broadcast, _ mean: UnsafePointer<S>, _ logVariance: UnsafePointer<S>, _ variance: UnsafePointer<S>,
    _ out: UnsafeMutablePointer<S>
  ) {
    let (rowStride, colStride) = shape.bStrides, n = shape.cols
    for i in 0..<shape.rows {
      let mu = mean + i * n, lv = logVariance + i * rowStride, v = variance + i * rowStride
      var sum: S = 0
      for j in 0..<n {
        let m = mu[j]
        sum += ((v[j * colStride] + m * m) - lv[j * colStride]) + -1
      }
      out[i] = 0.5 * sum
    }
  }

  /// Operand 0: ∂μ += 2h μ; operand 1: ∂log σ² ← (∂log σ² − h) + h σ², with h = ½ ∂outᵢ
  /// (added over the rows for a broadcast log-variance).
  static func klBackward<S: DifferentiableScalar>(
    _ shape: Broadcast, _ operand: Int, _ mean: UnsafePointer<S>, _ variance: UnsafePointer<S>,
    _ dOut: UnsafePointer<S>, _ d: UnsafeMutablePointer<S>
  ) {
    let (rowStride, colStride) = shape.bStrides, n = shape.cols
    for i in 0..<shape.rows {
      let h = dOut[i] * 0.5
      if operand == 0 {
        let mu = mean + i * n, dm = d + i * n
        for j in 0..<n { dm[j] += 2 * h * mu[j] }
      } else {
        let v = variance + i * rowStride, dlv = d + i * rowStride
        for j in 0..<n {
          let k = j * colStride
          dlv[k] = (dlv[k] - h) + h * v[k]
        }
      }
    }
  }

  /// σ ← exp(½ log σ²) and z ← μ + σ ε, entry by entry.
  static func reparameterize<S: DifferentiableScalar>(
    _ mean: UnsafePointer<S>, _ logVariance: UnsafePointer<S>, _ noise: UnsafePointer<S>,
    _ sigma: UnsafeMutablePointer<S>, _ z: UnsafeMutablePointer<S>, _ count: Int
  ) {
    for k in 0..<count {
      let s = S._exp(0.5 * logVariance[k])
      sigma[k] = s
      z[k] = mean[k] + s * noise[k]
    }
  }

  /// ∂log σ² += ∂z ε σ ½, entry by entry.
  static func reparameterizeBackward<S: DifferentiableScalar>(
    _ noise: UnsafePointer<S>, _ sigma: UnsafePointer<S>, _ dz: UnsafePointer<S>,
    _ dLogVariance: UnsafeMutablePointer<S>, _ count: Int
  ) {
    for k in 0..<count { dLogVariance[k] += dz[k] * noise[k] * sigma[k] * 0.5 }
  }
}
