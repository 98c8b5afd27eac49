/// A pointwise function a tape applies to every entry of a matrix.
public enum ElementwiseFunction: String, Sendable, Hashable, Codable, CaseIterable {
  /// max(x, 0); its derivative at 0 is taken as 0, and NaN passes through.
  case relu
  /// σ(x) = 1 / (1 + e⁻ˣ), computed without overflow for either sign.
  case sigmoid
  /// tanh x.
  case tanh
  /// log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), exact in floating point for large |x|.
  case softplus
  /// eˣ.
  case exp
  /// log x (for x > 0).
  case log
  /// x².
  case square
  /// −x.
  case negate
}

/// An elementwise binary operation with broadcasting.
public enum BinaryOperation: String, Sendable, Hashable, Codable {
  case add, subtract, multiply, divide
}

/// Which index a reduction sums away: `.rows` turns an m×n matrix into 1×n (column sums),
/// `.columns` into m×1 (row sums).
public enum Axis: String, Sendable, Hashable, Codable {
  case rows, columns
}

/// The shapes of a broadcast binary operation: each operand's dimension equals the result's
/// or is 1 (then that operand is repeated along it), as in NumPy for two dimensions.
public struct Broadcast: Sendable, Hashable {
  /// The result's shape.
  public let rows: Int, cols: Int
  /// The operands' shapes.
  public let aRows: Int, aCols: Int, bRows: Int, bCols: Int

  /// The broadcast of an `aRows`×`aCols` and a `bRows`×`bCols` operand, or `nil` when some
  /// dimension differs and neither is 1.
  public init?(_ aRows: Int, _ aCols: Int, _ bRows: Int, _ bCols: Int) {
    func combined(_ x: Int, _ y: Int) -> Int? { x == y ? x : x == 1 ? y : y == 1 ? x : nil }
    guard let r = combined(aRows, bRows), let c = combined(aCols, bCols) else { return nil }
    rows = r; cols = c
    self.aRows = aRows; self.aCols = aCols; self.bRows = bRows; self.bCols = bCols
  }

  @inline(__always) var aStrides: (Int, Int) { (aRows == 1 ? 0 : aCols, aCols == 1 ? 0 : 1) }
  @inline(__always) var bStrides: (Int, Int) { (bRows == 1 ? 0 : bCols, bCols == 1 ? 0 : 1) }
}

/// The tape's loops, written once over the scalar type; each ``DifferentiableScalar``
/// conformance calls them with a concrete type, so they are compiled specialized.
enum TapeKernels {
  /// Worker threads for large `sgemm`s (`LATENT_THREADS`, default 2).
  static let threads = BLAS.environmentThreadCount()

  static func elementwise<S: DifferentiableScalar>(
    _ f: ElementwiseFunction, _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ n: Int
  ) {
    switch f {
    case .relu: for i in 0..<n { y[i] = x[i] < 0 ? 0 : x[i] }  // NaN passes through
    case .sigmoid: for i in 0..<n { y[i] = sigmoid(x[i]) }
    case .tanh: for i in 0..<n { y[i] = S._tanh(x[i]) }
    case .softplus: for i in 0..<n { y[i] = softplus(x[i]) }
    case .exp: for i in 0..<n { y[i] = S._exp(x[i]) }
    case .log: for i in 0..<n { y[i] = S._log(x[i]) }
    case .square: for i in 0..<n { y[i] = x[i] * x[i] }
    case .negate: for i in 0..<n { y[i] = -x[i] }
    }
  }

  static func elementwiseBackward<S: DifferentiableScalar>(
    _ f: ElementwiseFunction, _ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ dy: UnsafePointer<S>,
    _ dx: UnsafeMutablePointer<S>, _ n: Int
  ) {
    switch f {
    case .relu: for i in 0..<n where !(y[i] <= 0) { dx[i] += dy[i] }
    case .sigmoid: for i in 0..<n { dx[i] += dy[i] * y[i] * (1 - y[i]) }
    case .tanh: for i in 0..<n { dx[i] += dy[i] * (1 - y[i] * y[i]) }
    case .softplus: for i in 0..<n { dx[i] += dy[i] * sigmoid(x[i]) }
    case .exp: for i in 0..<n { dx[i] += dy[i] * y[i] }
    case .log: for i in 0..<n { dx[i] += dy[i] / x[i] }
    case .square: for i in 0..<n { dx[i] += 2 * dy[i] * x[i] }
    case .negate: for i in 0..<n { dx[i] -= dy[i] }
    }
  }

  /// y ← f(y + 1bᵀ): the bias added to each row, then the activation in place (the same
  /// arithmetic as ``elementwise(_:_:_:_:)``).
  static func biasActivation<S: DifferentiableScalar>(
    _ f: Activation, _ b: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ m: Int, _ n: Int
  ) {
    for i in 0..<m {
      let row = y + i * n
      for j in 0..<n { row[j] += b[j] }
    }
    switch f {
    case .identity: return
    case .relu: elementwise(.relu, y, y, m * n)
    case .sigmoid: elementwise(.sigmoid, y, y, m * n)
    case .tanh: elementwise(.tanh, y, y, m * n)
    }
  }

  /// δ ← dy ⊙ f′(y) written into `delta` (relu's derivative at 0 taken as 0, NaN passing),
  /// and db += the column sums of δ, row after row.
  static func activationBackward<S: DifferentiableScalar>(
    _ f: Activation, _ y: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ delta: UnsafeMutablePointer<S>, _ m: Int,
    _ n: Int, _ db: UnsafeMutablePointer<S>?
  ) {
    let count = m * n
    switch f {
    case .identity: for k in 0..<count { delta[k] = dy[k] }
    case .relu: for k in 0..<count { delta[k] = y[k] <= 0 ? 0 : dy[k] }
    case .sigmoid: for k in 0..<count { delta[k] = dy[k] * y[k] * (1 - y[k]) }
    case .tanh: for k in 0..<count { delta[k] = dy[k] * (1 - y[k] * y[k]) }
    }
    guard let db else { return }
    for i in 0..<m {
      let row = delta + i * n
      for j in 0..<n { db[j] += row[j] }
    }
  }

  /// σ(x) without overflow: 1/(1 + e⁻ˣ) for x ≥ 0, eˣ/(1 + eˣ) otherwise.
  @inline(__always) static func sigmoid<S: DifferentiableScalar>(_ x: S) -> S {
    let e = S._exp(-Swift.abs(x))
    return x >= 0 ? 1 / (1 + e) : e / (1 + e)
  }

  /// log(1 + eˣ) = max(x, 0) + log1p(e^−|x|).
  @inline(__always) static func softplus<S: DifferentiableScalar>(_ x: S) -> S {
    Swift.max(x, 0) + S._log1p(S._exp(-Swift.abs(x)))
  }

  static func broadcast<S: DifferentiableScalar>(
    _ op: BinaryOperation, _ s: Broadcast, _ a: UnsafePointer<S>, _ b: UnsafePointer<S>,
    _ out: UnsafeMutablePointer<S>
  ) {
    let (ar, ac) = s.aStrides, (br, bc) = s.bStrides, n = s.cols
    for i in 0..<s.rows {
      let pa = a + i * ar, pb = b + i * br, po = out + i * n
      // The common contiguous cases without strides, so that they vectorize: two full rows,
      // and a full row times one number per row (a residual scaled by each row's gradient).
      if ac == 1 && bc == 1 {
        switch op {
        case .add: for j in 0..<n { po[j] = pa[j] + pb[j] }
        case .subtract: for j in 0..<n { po[j] = pa[j] - pb[j] }
        case .multiply: for j in 0..<n { po[j] = pa[j] * pb[j] }
        case .divide: for j in 0..<n { po[j] = pa[j] / pb[j] }
        }
        continue
      }
      if ac == 1 && bc == 0 && op == .multiply {
        let bi = pb[0]
        for j in 0..<n { po[j] = pa[j] * bi }
        continue
      }
      switch op {
      case .add: for j in 0..<n { po[j] = pa[j * ac] + pb[j * bc] }
      case .subtract: for j in 0..<n { po[j] = pa[j * ac] - pb[j * bc] }
      case .multiply: for j in 0..<n { po[j] = pa[j * ac] * pb[j * bc] }
      case .divide: for j in 0..<n { po[j] = pa[j * ac] / pb[j * bc] }
      }
    }
  }

  static func broadcastBackward<S: DifferentiableScalar>(
    _ op: BinaryOperation, _ s: Broadcast, _ operand: Int, _ a: UnsafePointer<S>, _ b: UnsafePointer<S>,
    _ dOut: UnsafePointer<S>, _ d: UnsafeMutablePointer<S>
  ) {
    let (ar, ac) = s.aStrides, (br, bc) = s.bStrides, n = s.cols
    let (dr, dc) = operand == 0 ? (ar, ac) : (br, bc)
    for i in 0..<s.rows {
      let pa = a + i * ar, pb = b + i * br, g = dOut + i * n, pd = d + i * dr
      // The common contiguous cases without strides, so that they vectorize: a full row
      // times one number per row (a per-example weight), and a full row plus a full row.
      if dc == 1 && (op == .add || (op == .subtract && operand == 0)) {
        for j in 0..<n { pd[j] += g[j] }
        continue
      }
      if dc == 1 && op == .multiply && operand == 0 && bc == 0 {
        let bi = pb[0]
        for j in 0..<n { pd[j] += g[j] * bi }
        continue
      }
      switch (op, operand) {
      case (.add, _), (.subtract, 0): for j in 0..<n { pd[j * dc] += g[j] }
      case (.subtract, _): for j in 0..<n { pd[j * dc] -= g[j] }
      case (.multiply, 0): for j in 0..<n { pd[j * dc] += g[j] * pb[j * bc] }
      case (.multiply, _): for j in 0..<n { pd[j * dc] += g[j] * pa[j * ac] }
      case (.divide, 0): for j in 0..<n { pd[j * dc] += g[j] / pb[j * bc] }
      case (.divide, _):
        for j in 0..<n {
          let bj = pb[j * bc]
          pd[j * dc] -= g[j] * pa[j * ac] / (bj * bj)
        }
      }
    }
  }

  static func reduce<S: DifferentiableScalar>(
    _ x: UnsafePointer<S>, _ m: Int, _ n: Int, _ axis: Axis, _ logSumExp: Bool, _ out: UnsafeMutablePointer<S>
  ) {
    let (outer, inner, outerStride, innerStride) = axis == .columns ? (m, n, n, 1) : (n, m, 1, n)
    for o in 0..<outer {
      let p = x + o * outerStride
      if logSumExp {
        var top = -S.infinity
        for k in 0..<inner {
          let v = p[k * innerStride]
          if v.isNaN { top = v; break }
          top = Swift.max(top, v)
        }
        if !top.isFinite {
          // −∞ for an empty or all −∞ slice; +∞ and NaN pass through.
          out[o] = inner == 0 ? -S.infinity : top
          continue
        }
        var s: S = 0
        for k in 0..<inner { s += S._exp(p[k * innerStride] - top) }
        out[o] = top + S._log(s)
      } else {
        var s: S = 0
        for k in 0..<inner { s += p[k * innerStride] }
        out[o] = s
      }
    }
  }

  static func reduceBackward<S: DifferentiableScalar>(
    _ x: UnsafePointer<S>, _ m: Int, _ n: Int, _ axis: Axis, _ logSumExp: Bool, _ out: UnsafePointer<S>,
    _ dOut: UnsafePointer<S>, _ dx: UnsafeMutablePointer<S>
  ) {
    let (outer, inner, outerStride, innerStride) = axis == .columns ? (m, n, n, 1) : (n, m, 1, n)
    for o in 0..<outer {
      let p = x + o * outerStride, d = dx + o * outerStride, g = dOut[o]
      if logSumExp {
        // ∂/∂xₖ log Σ eˣ = softmax(x)ₖ; no gradient flows from a −∞ result.
        if !out[o].isFinite { continue }
        for k in 0..<inner { d[k * innerStride] += g * S._exp(p[k * innerStride] - out[o]) }
      } else {
        for k in 0..<inner { d[k * innerStride] += g }
      }
    }
  }

  /// Row-wise softmax (or log-softmax) of an m×n matrix, around each row's largest entry.
  static func softmax<S: DifferentiableScalar>(
    _ x: UnsafePointer<S>, _ m: Int, _ n: Int, _ log: Bool, _ out: UnsafeMutablePointer<S>
  ) {
    for i in 0..<m {
      let p = x + i * n, o = out + i * n
      var top = -S.infinity
      for j in 0..<n { top = Swift.max(top, p[j]) }
      var s: S = 0
      for j in 0..<n {
        let e = S._exp(p[j] - top)
        if !log { o[j] = e }
        s += e
      }
      if log {
        let shift = top + S._log(s)
        for j in 0..<n { o[j] = p[j] - shift }
      } else {
        let inverse = 1 / s
        for j in 0..<n { o[j] *= inverse }
      }
    }
  }

  /// dx += the vector-Jacobian product of the row-wise softmax (y the softmax) or log-softmax
  /// (y the log-softmax, so softmax = exp y).
  static func softmaxBackward<S: DifferentiableScalar>(
    _ y: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ m: Int, _ n: Int, _ log: Bool, _ dx: UnsafeMutablePointer<S>
  ) {
    for i in 0..<m {
      let py = y + i * n, g = dy + i * n, d = dx + i * n
      var s: S = 0
      if log {
        for j in 0..<n { s += g[j] }
        for j in 0..<n { d[j] += g[j] - S._exp(py[j]) * s }
      } else {
        for j in 0..<n { s += g[j] * py[j] }
        for j in 0..<n { d[j] += py[j] * (g[j] - s) }
      }
    }
  }

  static func bernoulliLogLikelihood<S: DifferentiableScalar>(
    _ l: UnsafePointer<S>, _ x: UnsafePointer<S>, _ m: Int, _ n: Int, _ out: UnsafeMutablePointer<S>,
    _ residual: UnsafeMutablePointer<S>
  ) {
    for i in 0..<m {
      var s: S = 0
      for j in 0..<n {
        let k = i * n + j
        s += x[k] * l[k] - softplus(l[k])
        residual[k] = x[k] - sigmoid(l[k])
      }
      out[i] = s
    }
  }

}

/// Eight-lane versions of the loops that dominate a VAE step in single precision.
enum FloatTapeKernels {
  static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let zero = Float8(repeating: 0)
    var i = 0
    while i + 8 <= n {
      let v = x.load8(i)
      y.store8(v.replacing(with: zero, where: v .< zero), i)
      i += 8
    }
    while i < n { y[i] = x[i] < 0 ? 0 : x[i]; i += 1 }
  }

  static func reluBackward(
    _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int
  ) {
    let zero = Float8(repeating: 0)
    var i = 0
    while i + 8 <= n {
      dx.store8(dx.load8(i) + dy.load8(i).replacing(with: zero, where: y.load8(i) .<= zero), i)
      i += 8
    }
    while i < n { if !(y[i] <= 0) { dx[i] += dy[i] }; i += 1 }
  }

  /// y ← y + 1bᵀ, then max(y, 0) when `relu` (NaN passes), in one pass over each row.
  static func biasRelu(
    _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ m: Int, _ n: Int, relu: Bool
  ) {
    let zero = Float8(repeating: 0)
    for i in 0..<m {
      let row = y + i * n
      var j = 0
      while j + 8 <= n {
        let v = row.load8(j) + b.load8(j)
        row.store8(relu ? v.replacing(with: zero, where: v .< zero) : v, j)
        j += 8
      }
      while j < n {
        let v = row[j] + b[j]
        row[j] = relu && v < 0 ? 0 : v
        j += 1
      }
    }
  }

  /// δ ← dy where the relu's output y is positive (or NaN), 0 elsewhere, written into `delta`;
  /// db += the column sums of δ in the same pass.
  static func reluDelta(
    _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ delta: UnsafeMutablePointer<Float>, _ m: Int, _ n: Int,
    _ db: UnsafeMutablePointer<Float>?
  ) {
    let zero = Float8(repeating: 0)
    for i in 0..<m {
      let yr = y + i * n, gr = dy + i * n, dr = delta + i * n
      var j = 0
      while j + 8 <= n {
        let d = gr.load8(j).replacing(with: zero, where: yr.load8(j) .<= zero)
        dr.store8(d, j)
        if let db { db.store8(db.load8(j) + d, j) }
        j += 8
      }
      while j < n {
        let d: Float = yr[j] <= 0 ? 0 : gr[j]
        dr[j] = d
        if let db { db[j] += d }
        j += 1
      }
    }
  }

  /// Row sums of xℓ − softplus(ℓ) and the residuals x − σ(ℓ), from one exponential e^−|ℓ|
  /// per entry: eight lanes of FastMath `exp`/`log1p` (a few ulp), the lanes added in Double
  /// per row.
  static func bernoulliLogLikelihood(
    _ l: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ m: Int, _ n: Int, _ out: UnsafeMutablePointer<Float>,
    _ residual: UnsafeMutablePointer<Float>
  ) {
    let zero = Float8(repeating: 0), one = Float8(repeating: 1)
    for i in 0..<m {
      let lr = l + i * n, xr = x + i * n, rr = residual + i * n
      var acc = Float8(repeating: 0)
      var j = 0
      while j + 8 <= n {
        let v = lr.load8(j), t = xr.load8(j)
        let negative = v .< zero
        let e = FastMath.exp(-abs8(v))
        acc += t * v - (v.replacing(with: zero, where: negative) + FastMath.log1pUnit(e))
        let r = one / (one + e)
        rr.store8(t - r.replacing(with: e * r, where: negative), j)
        j += 8
      }
      var s = 0.0
      for k in 0..<8 { s += Double(acc[k]) }
      while j < n {
        let v = lr[j]
        let e = FastMath.exp(-Swift.abs(v))
        s += Double(xr[j] * v - (Swift.max(v, 0) + FastMath.log1pUnit(e)))
        rr[j] = xr[j] - (v >= 0 ? 1 / (1 + e) : e / (1 + e))
        j += 1
      }
      out[i] = Float(s)
    }
  }

  @inline(__always) static func abs8(_ v: Float8) -> Float8 { v.replacing(with: -v, where: v .< 0) }
}
