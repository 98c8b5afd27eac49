extension Variable {
  /// The matrix product AB (`sgemm`/`dgemm`). Backward: ∂A = ∂C Bᵀ and ∂B = Aᵀ ∂C, each one
  /// product with a transpose flag, skipped for an input that needs no gradient.
  public static func * (a: Variable, b: Variable) throws -> Variable {
    try product(a, b, bias: nil)
  }

  /// X W + 1bᵀ in one node: one product, then the bias row added in place (a dense layer's
  /// affine map; `bias` is 1×n). Backward adds the column sums of ∂Y to ∂b.
  public static func affine(_ x: Variable, _ weight: Variable, _ bias: Variable) throws -> Variable {
    try product(x, weight, bias: bias)
  }

  /// f(X W + 1bᵀ) in one node, a dense layer: the activation is applied in place after the
  /// bias, and its derivative is read off the output on the way back (relu, σ and tanh all
  /// allow that), saving a pass and a matrix per layer over `affine(…).activated(f)`.
  public static func dense(_ x: Variable, _ weight: Variable, _ bias: Variable, activation: Activation) throws
    -> Variable
  {
    let f: ElementwiseFunction?
    switch activation {
    case .identity: f = nil
    case .relu: f = .relu
    case .sigmoid: f = .sigmoid
    case .tanh: f = .tanh
    }
    return try product(x, weight, bias: bias, activation: f)
  }

  static func product(_ a: Variable, _ b: Variable, bias: Variable?, activation: ElementwiseFunction? = nil) throws
    -> Variable
  {
    let name = bias == nil ? "matrix product" : "affine"
    guard a.tape === b.tape, bias.map({ $0.tape === a.tape }) ?? true else {
      throw AutodiffError.differentTapes(operation: name)
    }
    let x = a.value, w = b.value
    guard x.cols == w.rows else {
      throw AutodiffError.shapeMismatch(
        operation: name, shapes: [x.shapeText, w.shapeText], expected: "inner dimensions \(x.cols) and \(w.rows) differ"
      )
    }
    let (m, k, n) = (x.rows, x.cols, w.cols)
    let c = bias?.value
    if let c, c.rows != 1 || c.cols != n {
      throw AutodiffError.shapeMismatch(
        operation: name, shapes: [x.shapeText, w.shapeText, c.shapeText], expected: "the bias must be 1x\(n)")
    }
    let scalars = [M.Scalar](unsafeUninitializedCapacity: m * n) { py, initialized in
      initialized = m * n
      guard let out = py.baseAddress else { return }
      if k > 0 {
        x.scalars.withUnsafeBufferPointer { px in
          w.scalars.withUnsafeBufferPointer { pw in
            M.Scalar._gemm(
              transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, px.baseAddress!, lda: k,
              pw.baseAddress!, ldb: n, beta: 0, out, ldc: n)
          }
        }
      } else {
        out.initialize(repeating: 0, count: m * n)
      }
      if let c {
        c.scalars.withUnsafeBufferPointer { pc in
          for i in 0..<m { M.Scalar._accumulate(pc.baseAddress!, into: out + i * n, n) }
        }
      }
      if let activation { M.Scalar._elementwise(activation, out, out, m * n) }
    }
    let y = M(rows: m, cols: n, scalars: scalars)
    let tape = a.tape
    let (ia, ib, ic) = (a.index, b.index, bias?.index)
    let (needA, needB) = (tape.needsGradient(a), tape.needsGradient(b))
    let needC = bias.map { tape.needsGradient($0) } ?? false
    let inputs = [a, b] + (bias.map { [$0] } ?? [])
    return tape.record(y, inputs: inputs) { outputGradient, grads in
      if m * n == 0 || k == 0 && !needC { return }
      var g = outputGradient
      if let activation {
        // δ = ∂L/∂Y ⊙ f′, with f′ read off Y (the x argument is not read for these functions).
        g = M.zeros(m, n)
        y.scalars.withUnsafeBufferPointer { py in
          outputGradient.scalars.withUnsafeBufferPointer { pd in
            g.scalars.withUnsafeMutableBufferPointer { pg in
              M.Scalar._elementwiseBackward(
                activation, py.baseAddress!, py.baseAddress!, pd.baseAddress!, pg.baseAddress!, m * n)
            }
          }
        }
      }
      g.scalars.withUnsafeBufferPointer { pg in
        let dy = pg.baseAddress!
        if needA && k > 0 {
          grads.accumulateProduct(into: ia, shapedLike: x) { dx, beta in
            w.scalars.withUnsafeBufferPointer { pw in
              M.Scalar._gemm(
                transposeA: false, transposeB: true, m: m, n: k, k: n, alpha: 1, dy, lda: n, pw.baseAddress!,
                ldb: n, beta: beta, dx, ldc: k)
            }
          }
        }
        if needB && k > 0 {
          grads.accumulateProduct(into: ib, shapedLike: w) { dw, beta in
            x.scalars.withUnsafeBufferPointer { px in
              M.Scalar._gemm(
                transposeA: true, transposeB: false, m: k, n: n, k: m, alpha: 1, px.baseAddress!, lda: k, dy,
                ldb: n, beta: beta, dw, ldc: n)
            }
          }
        }
        if needC, let ic, let c {
          grads.accumulate(into: ic, shapedLike: c) { db in
            for i in 0..<m { M.Scalar._accumulate(dy + i * n, into: db, n) }
          }
        }
      }
    }
  }
}
