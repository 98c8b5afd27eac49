extension Dense {
  /// A layer whose weight and bias are parameters of one tape: call it on variables, then
  /// read its gradient with ``Gradients/gradient(of:)``.
  public struct OnTape {
    /// W, inputs × outputs.
    public let weight: Variable<FloatMatrix>
    /// b as a 1 × outputs row.
    public let bias: Variable<FloatMatrix>
    /// f.
    public let activation: Activation

    /// f(X W + 1bᵀ), one node (see ``Variable/dense(_:_:_:activation:)``).
    public func callAsFunction(_ x: Variable<FloatMatrix>) throws -> Variable<FloatMatrix> {
      try Variable.dense(x, weight, bias, activation: activation)
    }
  }

  /// The layer's weight and bias as parameters of `tape`.
  public func parameters(on tape: Tape<FloatMatrix>) -> OnTape {
    OnTape(
      weight: tape.parameter(weight), bias: tape.parameter(FloatMatrix(rows: 1, cols: bias.count, scalars: bias)),
      activation: activation)
  }
}

extension Gradients where M == FloatMatrix {
  /// ∂L/∂W and ∂L/∂b of a layer recorded with ``Dense/parameters(on:)``, ready for
  /// ``Adam/update(_:gradient:slot:)``.
  public func gradient(of layer: Dense.OnTape) throws -> Dense.Gradient {
    Dense.Gradient(weight: try self[layer.weight], bias: try self[layer.bias].scalars)
  }
}
