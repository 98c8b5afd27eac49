extension Variable {
  /// f applied to every entry; its backward multiplies by f′ (read off the output where
  /// cheaper: σ′ = σ(1 − σ), tanh′ = 1 − tanh², exp′ = exp).
  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  public func apply(_ f: ElementwiseFunction) -> Variable {
    let x = value
    var y = M.zeros(x.rows, x.cols)
    let n = x.scalars.count
    x.scalars.withUnsafeBufferPointer { px in
      y.scalars.withUnsafeMutableBufferPointer { py in
        if n > 0 { M.Scalar._elementwise(f, px.baseAddress!, py.baseAddress!, n) }
      }
    }
    let out = y, i = index
    return tape.record(y, inputs: [self]) { g, grads in
      grads.accumulate(into: i, shapedLike: x) { dx in
        x.scalars.withUnsafeBufferPointer { px in
          out.scalars.withUnsafeBufferPointer { py in
            g.scalars.withUnsafeBufferPointer { pg in
              if n > 0 { M.Scalar._elementwiseBackward(f, px.baseAddress!, py.baseAddress!, pg.baseAddress!, dx, n) }
            }
          }
        }
      }
    }
  }

  /// max(x, 0) elementwise.
  public func relu() -> Variable { apply(ElementwiseFunction.relu) }
  /// σ(x) = 1/(1 + e⁻ˣ) elementwise.
  public func sigmoid() -> Variable { apply(ElementwiseFunction.sigmoid) }
  /// tanh x elementwise.
  public func tanh() -> Variable { apply(ElementwiseFunction.tanh) }
  /// log(1 + eˣ) elementwise.
  public func softplus() -> Variable { apply(ElementwiseFunction.softplus) }
  /// eˣ elementwise.
  public func exp() -> Variable { apply(ElementwiseFunction.exp) }
  /// log x elementwise.
  public func log() -> Variable { apply(ElementwiseFunction.log) }
  /// x² elementwise.
  public func square() -> Variable { apply(ElementwiseFunction.square) }
  /// −x.
  public static prefix func - (x: Variable) -> Variable { x.apply(ElementwiseFunction.negate) }

  /// A ``Dense`` layer's activation (identity records nothing).
  public func activated(_ activation: Activation) -> Variable {
    switch activation {
    case .identity: return self
    case .relu: return apply(ElementwiseFunction.relu)
    case .sigmoid: return apply(ElementwiseFunction.sigmoid)
    case .tanh: return apply(ElementwiseFunction.tanh)
    }
  }
}
