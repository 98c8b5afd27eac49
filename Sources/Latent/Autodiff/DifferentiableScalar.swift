internal import CBLAS
import Foundation

/// The scalars a ``Tape`` differentiates over: `Float` (training, over `sgemm`) and `Double`
/// (gradient checks, small models, over `dgemm`).
///
/// The underscored requirements are the tape's loops over whole buffers. Each conformance
/// forwards them to one generic implementation that the compiler specializes for its scalar,
/// so a tape operation called from unoptimized chapter code still runs an optimized loop.
/// Call the operations on ``Variable`` instead of these.
public protocol DifferentiableScalar: BinaryFloatingPoint, Codable, Sendable, CustomStringConvertible {
  /// y ← f(x) elementwise.
  static func _elementwise(
    _ f: ElementwiseFunction, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ count: Int)
  /// dx += dy ⊙ f′(x), with y = f(x) available for derivatives cheaper to read off the output.
  static func _elementwiseBackward(
    _ f: ElementwiseFunction, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>,
    _ dx: UnsafeMutablePointer<Self>, _ count: Int)
  /// out ← a ∘ b with broadcasting (see ``Broadcast``).
  static func _broadcast(
    _ op: BinaryOperation, _ shape: Broadcast, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>,
    _ out: UnsafeMutablePointer<Self>)
  /// d(operand) += the gradient of a ∘ b with respect to one operand, summed over the
  /// positions where that operand was broadcast.
  static func _broadcastBackward(
    _ op: BinaryOperation, _ shape: Broadcast, operand: Int, _ a: UnsafePointer<Self>,
    _ b: UnsafePointer<Self>, _ dOut: UnsafePointer<Self>, _ dOperand: UnsafeMutablePointer<Self>)
  /// C ← α op(A) op(B) + β C (row-major, leading dimensions as given).
  static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self, _ a: UnsafePointer<Self>, lda: Int,
    _ b: UnsafePointer<Self>, ldb: Int, beta: Self, _ c: UnsafeMutablePointer<Self>, ldc: Int)
  /// out ← the sums (or, with `logSumExp`, the log-sum-exps) over `axis` of an m×n matrix.
  static func _reduce(
    _ x: UnsafePointer<Self>, rows: Int, cols: Int, over axis: Axis, logSumExp: Bool, _ out: UnsafeMutablePointer<Self>)
  /// dx += the gradient of a reduction: dOut broadcast back (times softmax weights for log-sum-exp).
  static func _reduceBackward(
    _ x: UnsafePointer<Self>, rows: Int, cols: Int, over axis: Axis, logSumExp: Bool, _ out: UnsafePointer<Self>,
    _ dOut: UnsafePointer<Self>, _ dx: UnsafeMutablePointer<Self>)
  /// out[i] ← Σⱼ xᵢⱼ ℓᵢⱼ − softplus(ℓᵢⱼ), the Bernoulli log-likelihood of each row, and
  /// residual ← x − σ(ℓ), its derivative with respect to ℓ (from the same exponentials).
  static func _bernoulliLogLikelihood(
    logits: UnsafePointer<Self>, targets: UnsafePointer<Self>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Self>,
    residual: UnsafeMutablePointer<Self>)
  /// out ← the softmax (or, with `log`, the log-softmax) of each row of an m×n matrix.
  static func _softmax(
    _ x: UnsafePointer<Self>, rows: Int, cols: Int, log: Bool, _ out: UnsafeMutablePointer<Self>)
  /// dx += the gradient of a row-wise softmax or log-softmax, from its output y and dOut.
  static func _softmaxBackward(
    _ y: UnsafePointer<Self>, _ dOut: UnsafePointer<Self>, rows: Int, cols: Int, log: Bool,
    _ dx: UnsafeMutablePointer<Self>)
  /// y += x over `count` entries.
  static func _accumulate(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, _ count: Int)
  /// The two products of the backward pass of C = AB (A m×k, B k×n, row-major):
  /// dA ← dC Bᵀ + β_A dA and dB ← Aᵀ dC + β_B dB.
  static func _productBackward(
    _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ dC: UnsafePointer<Self>, m: Int, n: Int, k: Int,
    dA: UnsafeMutablePointer<Self>, betaA: Self, dB: UnsafeMutablePointer<Self>, betaB: Self)
  /// y ← f(y + 1bᵀ) in place for an m×n matrix y and a 1×n row b: a dense layer's bias and
  /// activation after its product, in one pass.
  static func _biasActivation(
    _ f: Activation, bias: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, cols: Int)
  /// δ ← dy ⊙ f′ written (not added) into `delta`, f′ read off the output y of an m×n dense
  /// layer, and `biasGradient` += the column sums of δ when given, in one pass.
  static func _activationBackward(
    _ f: Activation, output y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>,
    _ delta: UnsafeMutablePointer<Self>, rows: Int, cols: Int, biasGradient: UnsafeMutablePointer<Self>?)
  /// out[i] ← ½ Σⱼ (σᵢⱼ² + μᵢⱼ² − 1 − log σᵢⱼ²), the KL divergence of each row from 𝒩(0, I),
  /// given log σ² and σ² = exp(log σ²); `shape` broadcasts them (operand b) to the means (a).
  static func _gaussianKL(
    _ shape: Broadcast, mean: UnsafePointer<Self>, logVariance: UnsafePointer<Self>, variance: UnsafePointer<Self>,
    _ out: UnsafeMutablePointer<Self>)
  /// d(operand) += the KL's gradient: ∂μ = ∂outᵢ μ (operand 0), ∂log σ² = ½ ∂outᵢ (σ² − 1)
  /// (operand 1, summed over the positions where it was broadcast).
  static func _gaussianKLBackward(
    _ shape: Broadcast, operand: Int, mean: UnsafePointer<Self>, variance: UnsafePointer<Self>,
    _ dOut: UnsafePointer<Self>, _ dOperand: UnsafeMutablePointer<Self>)
  /// σ ← exp(½ log σ²) and z ← μ + σ ⊙ ε over `count` entries.
  static func _reparameterize(
    mean: UnsafePointer<Self>, logVariance: UnsafePointer<Self>, noise: UnsafePointer<Self>,
    sigma: UnsafeMutablePointer<Self>, _ z: UnsafeMutablePointer<Self>, _ count: Int)
  /// ∂log σ² += ½ ∂z ⊙ ε ⊙ σ over `count` entries (∂μ = ∂z is an ``_accumulate(_:into:_:)``).
  static func _reparameterizeBackward(
    noise: UnsafePointer<Self>, sigma: UnsafePointer<Self>, _ dz: UnsafePointer<Self>,
    logVarianceGradient: UnsafeMutablePointer<Self>, _ count: Int)
  /// Scalar functions the loops need.
  static func _exp(_ x: Self) -> Self
  static func _log(_ x: Self) -> Self
  static func _log1p(_ x: Self) -> Self
  static func _tanh(_ x: Self) -> Self
}

extension Double: DifferentiableScalar {
  public static func _elementwise(
    _ f: ElementwiseFunction, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int
  ) { TapeKernels.elementwise(f, x, y, count) }
  public static func _elementwiseBackward(
    _ f: ElementwiseFunction, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
    _ dx: UnsafeMutablePointer<Double>, _ count: Int
  ) { TapeKernels.elementwiseBackward(f, x, y, dy, dx, count) }
  public static func _broadcast(
    _ op: BinaryOperation, _ shape: Broadcast, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
    _ out: UnsafeMutablePointer<Double>
  ) { TapeKernels.broadcast(op, shape, a, b, out) }
  public static func _broadcastBackward(
    _ op: BinaryOperation, _ shape: Broadcast, operand: Int, _ a: UnsafePointer<Double>,
    _ b: UnsafePointer<Double>, _ dOut: UnsafePointer<Double>, _ dOperand: UnsafeMutablePointer<Double>
  ) { TapeKernels.broadcastBackward(op, shape, operand, a, b, dOut, dOperand) }
  public static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double, _ a: UnsafePointer<Double>,
    lda: Int, _ b: UnsafePointer<Double>, ldb: Int, beta: Double, _ c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    if m == 0 || n == 0 { return }
    BLAS.ensureConfigured()
    cblas_dgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
  public static func _reduce(
    _ x: UnsafePointer<Double>, rows: Int, cols: Int, over axis: Axis, logSumExp: Bool,
    _ out: UnsafeMutablePointer<Double>
  ) { TapeKernels.reduce(x, rows, cols, axis, logSumExp, out) }
  public static func _reduceBackward(
    _ x: UnsafePointer<Double>, rows: Int, cols: Int, over axis: Axis, logSumExp: Bool,
    _ out: UnsafePointer<Double>, _ dOut: UnsafePointer<Double>, _ dx: UnsafeMutablePointer<Double>
  ) { TapeKernels.reduceBackward(x, rows, cols, axis, logSumExp, out, dOut, dx) }
  public static func _bernoulliLogLikelihood(
    logits: UnsafePointer<Double>, targets: UnsafePointer<Double>, rows: Int, cols: Int,
    _ out: UnsafeMutablePointer<Double>, residual: UnsafeMutablePointer<Double>
  ) { TapeKernels.bernoulliLogLikelihood(logits, targets, rows, cols, out, residual) }
  public static func _softmax(
    _ x: UnsafePointer<Double>, rows: Int, cols: Int, log: Bool, _ out: UnsafeMutablePointer<Double>
  ) { TapeKernels.softmax(x, rows, cols, log, out) }
  public static func _softmaxBackward(
    _ y: UnsafePointer<Double>, _ dOut: UnsafePointer<Double>, rows: Int, cols: Int, log: Bool,
    _ dx: UnsafeMutablePointer<Double>
  ) { TapeKernels.softmaxBackward(y, dOut, rows, cols, log, dx) }
  public static func _accumulate(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, _ count: Int) {
    for i in 0..<count { y[i] += x[i] }
  }
  public static func _productBackward(
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ dC: UnsafePointer<Double>, m: Int, n: Int, k: Int,
    dA: UnsafeMutablePointer<Double>, betaA: Double, dB: UnsafeMutablePointer<Double>, betaB: Double
  ) {
    _gemm(
      transposeA: false, transposeB: true, m: m, n: k, k: n, alpha: 1, dC, lda: n, b, ldb: n, beta: betaA, dA, ldc: k)
    _gemm(
      transposeA: true, transposeB: false, m: k, n: n, k: m, alpha: 1, a, lda: k, dC, ldb: n, beta: betaB, dB, ldc: n)
  }
  public static func _biasActivation(
    _ f: Activation, bias: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, rows: Int, cols: Int
  ) { TapeKernels.biasActivation(f, bias, y, rows, cols) }
  public static func _activationBackward(
    _ f: Activation, output y: UnsafePointer<Double>, _ dy: UnsafePointer<Double>,
    _ delta: UnsafeMutablePointer<Double>, rows: Int, cols: Int, biasGradient: UnsafeMutablePointer<Double>?
  ) { TapeKernels.activationBackward(f, y, dy, delta, rows, cols, biasGradient) }
  public static func _gaussianKL(
    _ shape: Broadcast, mean: UnsafePointer<Double>, logVariance: UnsafePointer<Double>,
    variance: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>
  ) { GaussianKernels.kl(shape, mean, logVariance, variance, out) }
  public static func _gaussianKLBackward(
    _ shape: Broadcast, operand: Int, mean: UnsafePointer<Double>, variance: UnsafePointer<Double>,
    _ dOut: UnsafePointer<Double>, _ dOperand: UnsafeMutablePointer<Double>
  ) { GaussianKernels.klBackward(shape, operand, mean, variance, dOut, dOperand) }
  public static func _reparameterize(
    mean: UnsafePointer<Double>, logVariance: UnsafePointer<Double>, noise: UnsafePointer<Double>,
    sigma: UnsafeMutablePointer<Double>, _ z: UnsafeMutablePointer<Double>, _ count: Int
  ) { GaussianKernels.reparameterize(mean, logVariance, noise, sigma, z, count) }
  public static func _reparameterizeBackward(
    noise: UnsafePointer<Double>, sigma: UnsafePointer<Double>, _ dz: UnsafePointer<Double>,
    logVarianceGradient: UnsafeMutablePointer<Double>, _ count: Int
  ) { GaussianKernels.reparameterizeBackward(noise, sigma, dz, logVarianceGradient, count) }
  public static func _exp(_ x: Double) -> Double { Foundation.exp(x) }
  public static func _log(_ x: Double) -> Double { Foundation.log(x) }
  public static func _log1p(_ x: Double) -> Double { Foundation.log1p(x) }
  public static func _tanh(_ x: Double) -> Double { Foundation.tanh(x) }
}

extension Float: DifferentiableScalar {
  public static func _elementwise(
    _ f: ElementwiseFunction, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    if f == .relu { return FloatTapeKernels.relu(x, y, count) }
    TapeKernels.elementwise(f, x, y, count)
  }
  public static func _elementwiseBackward(
    _ f: ElementwiseFunction, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
    _ dx: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    if f == .relu { return FloatTapeKernels.reluBackward(y, dy, dx, count) }
    TapeKernels.elementwiseBackward(f, x, y, dy, dx, count)
  }
  public static func _broadcast(
    _ op: BinaryOperation, _ shape: Broadcast, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>
  ) { TapeKernels.broadcast(op, shape, a, b, out) }
  public static func _broadcastBackward(
    _ op: BinaryOperation, _ shape: Broadcast, operand: Int, _ a: UnsafePointer<Float>,
    _ b: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, _ dOperand: UnsafeMutablePointer<Float>
  ) { TapeKernels.broadcastBackward(op, shape, operand, a, b, dOut, dOperand) }
  /// Always single-threaded OpenBLAS (the thread count is process-wide, so tapes used from
  /// several threads at once race on it: a matter of speed, not of results); large products
  /// are cut into blocks on Dispatch's pool
  /// (see `Parallelism`), as the hand-written trainer does: OpenBLAS's own threads spin and
  /// lose to a busy machine on these small shapes.
  public static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, _ a: UnsafePointer<Float>,
    lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    BLAS.singleThreaded {
      Parallelism(parts: TapeKernels.threads).sgemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb,
        beta: beta, c, ldc: ldc)
    }
  }
  public static func _reduce(
    _ x: UnsafePointer<Float>, rows: Int, cols: Int, over axis: Axis, logSumExp: Bool,
    _ out: UnsafeMutablePointer<Float>
  ) { TapeKernels.reduce(x, rows, cols, axis, logSumExp, out) }
  public static func _reduceBackward(
    _ x: UnsafePointer<Float>, rows: Int, cols: Int, over axis: Axis, logSumExp: Bool,
    _ out: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>
  ) { TapeKernels.reduceBackward(x, rows, cols, axis, logSumExp, out, dOut, dx) }
  public static func _bernoulliLogLikelihood(
    logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, rows: Int, cols: Int,
    _ out: UnsafeMutablePointer<Float>, residual: UnsafeMutablePointer<Float>
  ) { FloatTapeKernels.bernoulliLogLikelihood(logits, targets, rows, cols, out, residual) }
  public static func _softmax(
    _ x: UnsafePointer<Float>, rows: Int, cols: Int, log: Bool, _ out: UnsafeMutablePointer<Float>
  ) { TapeKernels.softmax(x, rows, cols, log, out) }
  public static func _softmaxBackward(
    _ y: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, rows: Int, cols: Int, log: Bool,
    _ dx: UnsafeMutablePointer<Float>
  ) { TapeKernels.softmaxBackward(y, dOut, rows, cols, log, dx) }
  public static func _accumulate(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 8 <= count { y.store8(y.load8(i) + x.load8(i), i); i += 8 }
    while i < count { y[i] += x[i]; i += 1 }
  }
  public static func _productBackward(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dC: UnsafePointer<Float>, m: Int, n: Int, k: Int,
    dA: UnsafeMutablePointer<Float>, betaA: Float, dB: UnsafeMutablePointer<Float>, betaB: Float
  ) {
    // Two large products run side by side, one on each of two threads: one hand-off for both
    // instead of one for each split in halves (a busy machine is slow to schedule a hand-off).
    if TapeKernels.threads >= 2 && m * n * k >= Parallelism.splitThreshold {
      return BLAS.singleThreaded {
        Parallelism(parts: 2).run { part in
          if part == 0 {
            Latent.sgemm(
              transposeA: false, transposeB: true, m: m, n: k, k: n, dC, lda: n, b, ldb: n, beta: betaA, dA, ldc: k)
          } else {
            Latent.sgemm(
              transposeA: true, transposeB: false, m: k, n: n, k: m, a, lda: k, dC, ldb: n, beta: betaB, dB, ldc: n)
          }
        }
      }
    }
    _gemm(
      transposeA: false, transposeB: true, m: m, n: k, k: n, alpha: 1, dC, lda: n, b, ldb: n, beta: betaA, dA, ldc: k)
    _gemm(
      transposeA: true, transposeB: false, m: k, n: n, k: m, alpha: 1, a, lda: k, dC, ldb: n, beta: betaB, dB, ldc: n)
  }
  public static func _biasActivation(
    _ f: Activation, bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int
  ) {
    if f == .identity || f == .relu { return FloatTapeKernels.biasRelu(bias, y, rows, cols, relu: f == .relu) }
    TapeKernels.biasActivation(f, bias, y, rows, cols)
  }
  public static func _activationBackward(
    _ f: Activation, output y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ delta: UnsafeMutablePointer<Float>,
    rows: Int, cols: Int, biasGradient: UnsafeMutablePointer<Float>?
  ) {
    if f == .relu { return FloatTapeKernels.reluDelta(y, dy, delta, rows, cols, biasGradient) }
    TapeKernels.activationBackward(f, y, dy, delta, rows, cols, biasGradient)
  }
  public static func _gaussianKL(
    _ shape: Broadcast, mean: UnsafePointer<Float>, logVariance: UnsafePointer<Float>, variance: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>
  ) { GaussianKernels.kl(shape, mean, logVariance, variance, out) }
  public static func _gaussianKLBackward(
    _ shape: Broadcast, operand: Int, mean: UnsafePointer<Float>, variance: UnsafePointer<Float>,
    _ dOut: UnsafePointer<Float>, _ dOperand: UnsafeMutablePointer<Float>
  ) { GaussianKernels.klBackward(shape, operand, mean, variance, dOut, dOperand) }
  public static func _reparameterize(
    mean: UnsafePointer<Float>, logVariance: UnsafePointer<Float>, noise: UnsafePointer<Float>,
    sigma: UnsafeMutablePointer<Float>, _ z: UnsafeMutablePointer<Float>, _ count: Int
  ) { GaussianKernels.reparameterize(mean, logVariance, noise, sigma, z, count) }
  public static func _reparameterizeBackward(
    noise: UnsafePointer<Float>, sigma: UnsafePointer<Float>, _ dz: UnsafePointer<Float>,
    logVarianceGradient: UnsafeMutablePointer<Float>, _ count: Int
  ) { GaussianKernels.reparameterizeBackward(noise, sigma, dz, logVarianceGradient, count) }
  public static func _exp(_ x: Float) -> Float { Foundation.exp(x) }
  public static func _log(_ x: Float) -> Float { Foundation.log(x) }
  public static func _log1p(_ x: Float) -> Float { Foundation.log1p(x) }
  public static func _tanh(_ x: Float) -> Float { Foundation.tanh(x) }
}
