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

  /// f(X W + 1bᵀ) in one node, a dense layer: the bias and the activation are applied in one
  /// pass after the product, and on the way back δ = ∂Y ⊙ f′ (f′ read off the output, as
  /// relu, σ and tanh allow) is written in one pass that also sums ∂b, saving passes and a
  /// matrix per layer over `affine(…).activated(f)`.
  public static func dense(_ x: Variable, _ weight: Variable, _ bias: Variable, activation: Activation) throws
    -> Variable
  {
    try product(x, weight, bias: bias, activation: activation)
  }

  /// AB, or f(AB + 1bᵀ) with a bias (the activation is applied only with one).
  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  static func product(_ a: Variable, _ b: Variable, bias: Variable?, activation requested: Activation = .identity)
    throws -> Variable
  {
    let activation = bias == nil ? .identity : requested
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
    let y = M.uninitialized(rows: m, cols: n) { out in
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
          M.Scalar._biasActivation(activation, bias: pc.baseAddress!, out, rows: m, cols: n)
        }
      }
    }
    let tape = a.tape
    let (ia, ib, ic) = (a.index, b.index, bias?.index)
    let (needA, needB) = (tape.needsGradient(a), tape.needsGradient(b))
    let needC = bias.map { tape.needsGradient($0) } ?? false
    let inputs = [a, b] + (bias.map { [$0] } ?? [])
    // δ = ∂L/∂Y ⊙ f′ (f′ read off Y) is written in one pass that also adds its column sums to
    // ∂b; with no activation δ is ∂L/∂Y itself and ∂b gets its column sums. (The closure
    // captures values only: a variable would hold the tape that holds the closure.)
    let fusesBias = activation != .identity && c != nil
    return tape.record(y, inputs: inputs) { outputGradient, grads in
      if m * n == 0 || k == 0 && !needC { return }
      var delta = outputGradient
      if fusesBias, let ic, let c, needC {
        grads.accumulate(into: ic, shapedLike: c) { db in
          delta = Self.activationDelta(activation, y, outputGradient, biasGradient: db)
        }
      } else if activation != .identity {
        delta = Self.activationDelta(activation, y, outputGradient, biasGradient: nil)
      }
      delta.scalars.withUnsafeBufferPointer { pg in
        let dy = pg.baseAddress!
        if needA && needB && k > 0 && ia != ib {
          // ∂A = ∂C Bᵀ and ∂B = Aᵀ ∂C in one call, so that they can run side by side.
          grads.accumulateProducts(into: ia, shapedLike: x, and: ib, shapedLike: w) { dx, betaX, dw, betaW in
            x.scalars.withUnsafeBufferPointer { px in
              w.scalars.withUnsafeBufferPointer { pw in
                M.Scalar._productBackward(
                  px.baseAddress!, pw.baseAddress!, dy, m: m, n: n, k: k, dA: dx, betaA: betaX, dB: dw, betaB: betaW)
              }
            }
          }
        } else {
          if needA && k > 0 {
            grads.accumulateProduct(into: ia, shapedLike: x) { dx, beta in
              w.scalars.withUnsafeBufferPointer { pw in
                M.Scalar._gemm(
                  transposeA: false, transposeB: true, m: m, n: k, k: n, alpha: 1, dy, lda: n, pw.baseAddress!,
                  ldb: n, beta: beta, dx, ldc: k)
              }
            }
          }
          if needB && k > 0 {  // after ∂A, which it adds to when A and B are one variable
            grads.accumulateProduct(into: ib, shapedLike: w) { dw, beta in
              x.scalars.withUnsafeBufferPointer { px in
                M.Scalar._gemm(
                  transposeA: true, transposeB: false, m: k, n: n, k: m, alpha: 1, px.baseAddress!, lda: k, dy,
                  ldb: n, beta: beta, dw, ldc: n)
              }
            }
          }
        }
        if needC, !fusesBias, let ic, let c {
          grads.accumulate(into: ic, shapedLike: c) { db in
            for i in 0..<m { M.Scalar._accumulate(dy + i * n, into: db, n) }
          }
        }
      }
    }
  }

  /// δ = dy ⊙ f′(y) for a dense layer's output y, in new storage; `biasGradient` (when given)
  /// receives δ's column sums in the same pass.
  static func activationDelta(_ f: Activation, _ y: M, _ dy: M, biasGradient: UnsafeMutablePointer<M.Scalar>?) -> M {
    M.uninitialized(rows: y.rows, cols: y.cols) { delta in
      y.scalars.withUnsafeBufferPointer { py in
        dy.scalars.withUnsafeBufferPointer { pd in
          M.Scalar._activationBackward(
            f, output: py.baseAddress!, pd.baseAddress!, delta, rows: y.rows, cols: y.cols, biasGradient: biasGradient)
        }
      }
    }
  }
}
