import Foundation

/// A fully connected layer y = f(x W + b) on a minibatch (rows are examples), in Float32
/// over `cblas_sgemm`.
///
/// `weight` is inputs × outputs, so a batch X (n × inputs) maps to X W + 1bᵀ (n × outputs).
/// The forward pass is one `sgemm` followed by one fused pass that adds the bias and applies
/// the activation; the backward pass is one fused pass (activation derivative and bias
/// gradient) and two `sgemm`s with transpose flags (Xᵀ·δ and δ·Wᵀ), never a materialised
/// transpose.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let layer = Dense(inputs: 784, outputs: 400, activation: .relu, using: &rng)
/// let h = layer(images)          // n × 400
/// ```
public struct Dense: Sendable, Hashable, Codable {
  /// W, inputs × outputs.
  public var weight: FloatMatrix
  /// b, one entry per output.
  public var bias: [Float]
  /// f, applied elementwise after the affine map.
  public var activation: Activation

  /// Number of inputs (rows of W).
  public var inputCount: Int { weight.rows }
  /// Number of outputs (columns of W).
  public var outputCount: Int { weight.cols }
  /// Number of trainable scalars, inputs·outputs + outputs.
  public var parameterCount: Int { weight.count + bias.count }

  /// A layer with the given parameters.
  public init(weight: FloatMatrix, bias: [Float], activation: Activation = .identity) {
    require(bias.count == weight.cols, "Dense: bias of length \(bias.count) for a \(weight.shapeDescription) weight")
    self.weight = weight; self.bias = bias; self.activation = activation
  }

  /// A layer initialised like PyTorch's `nn.Linear`: every weight and bias uniform on
  /// [−1/√inputs, 1/√inputs] (Kaiming-uniform with a = √5), drawn row by row from `rng`.
  public init(inputs: Int, outputs: Int, activation: Activation = .identity, using rng: inout SeededGenerator) {
    require(inputs > 0 && outputs > 0, "Dense: needs positive sizes, got \(inputs) → \(outputs)")
    let bound = 1 / Double(inputs).squareRoot()
    var w = [Float](repeating: 0, count: inputs * outputs)
    for i in w.indices { w[i] = Float((2 * rng.uniform() - 1) * bound) }
    var b = [Float](repeating: 0, count: outputs)
    for i in b.indices { b[i] = Float((2 * rng.uniform() - 1) * bound) }
    self.init(weight: FloatMatrix(rows: inputs, cols: outputs, scalars: w), bias: b, activation: activation)
  }

  /// f(X W + b) for a batch X (rows are examples).
  public func callAsFunction(_ x: FloatMatrix) -> FloatMatrix {
    var y = FloatMatrix(rows: x.rows, cols: outputCount)
    do { try forward(x, into: &y) } catch { fail(error) }
    return y
  }

  /// Y ← f(X W + b) into a preallocated n × outputs matrix (no allocation).
  public func forward(_ x: FloatMatrix, into y: inout FloatMatrix) throws {
    guard x.cols == inputCount else {
      throw LinearAlgebraError.dimensionMismatch(
        "Dense.forward: input \(x.shapeDescription) for a layer with \(inputCount) inputs")
    }
    guard y.rows == x.rows && y.cols == outputCount else {
      throw LinearAlgebraError.dimensionMismatch(
        "Dense.forward: output \(y.shapeDescription), expected \(x.rows)x\(outputCount)")
    }
    let rows = x.rows
    x.scalars.withUnsafeBufferPointer { px in
      y.scalars.withUnsafeMutableBufferPointer { py in
        weight.scalars.withUnsafeBufferPointer { pw in
          bias.withUnsafeBufferPointer { pb in
            DenseKernel.forward(
              x: px.baseAddress!, rows: rows, inputs: inputCount, outputs: outputCount,
              weight: pw.baseAddress!, bias: pb.baseAddress!, activation: activation, into: py.baseAddress!)
          }
        }
      }
    }
  }

  /// The gradient of a scalar loss with respect to a layer's parameters, shaped like them.
  public struct Gradient: Sendable, Hashable, Codable {
    /// ∂L/∂W, inputs × outputs.
    public var weight: FloatMatrix
    /// ∂L/∂b.
    public var bias: [Float]
    /// A gradient from its parts (shaped like the layer they came from).
    init(weight: FloatMatrix, bias: [Float]) {
      self.weight = weight
      self.bias = bias
    }
    /// Zeros shaped like `layer`.
    public init(zerosLike layer: Dense) {
      weight = FloatMatrix(rows: layer.inputCount, cols: layer.outputCount)
      bias = [Float](repeating: 0, count: layer.outputCount)
    }
  }

  /// Backpropagation through the layer, without the gradient with respect to the input
  /// (for a first layer). See ``backward(input:output:outputGradient:gradient:inputGradient:)``.
  public func backward(
    input x: FloatMatrix, output y: FloatMatrix, outputGradient dy: inout FloatMatrix,
    gradient: inout Gradient
  ) throws {
    try checkBackwardShapes(x, y, dy, gradient)
    backwardKernel(x, y, &dy, &gradient, nil)
  }

  /// Backpropagation through the layer.
  ///
  /// Given the batch input X, the output Y = f(A) of ``forward(_:into:)`` and δY = ∂L/∂Y,
  /// it overwrites `outputGradient` with δA = δY ⊙ f′(A) (f′ read off Y), sets
  /// ∂L/∂W = Xᵀ δA and ∂L/∂b = 1ᵀ δA in `gradient`, and ∂L/∂X = δA Wᵀ in `inputGradient`.
  /// The products are `sgemm`s with transpose flags; nothing is allocated.
  public func backward(
    input x: FloatMatrix, output y: FloatMatrix, outputGradient dy: inout FloatMatrix,
    gradient: inout Gradient, inputGradient dx: inout FloatMatrix
  ) throws {
    try checkBackwardShapes(x, y, dy, gradient)
    guard dx.rows == x.rows, dx.cols == inputCount else {
      throw LinearAlgebraError.dimensionMismatch(
        "Dense.backward: input gradient \(dx.shapeDescription), expected \(x.rows)x\(inputCount)")
    }
    dx.scalars.withUnsafeMutableBufferPointer { pdx in backwardKernel(x, y, &dy, &gradient, pdx.baseAddress!) }
  }

  private func checkBackwardShapes(_ x: FloatMatrix, _ y: FloatMatrix, _ dy: FloatMatrix, _ gradient: Gradient) throws {
    let n = x.rows
    guard x.cols == inputCount, y.rows == n, y.cols == outputCount, dy.rows == n, dy.cols == outputCount else {
      throw LinearAlgebraError.dimensionMismatch(
        "Dense.backward: input \(x.shapeDescription), output \(y.shapeDescription), output gradient \(dy.shapeDescription) for a \(inputCount)→\(outputCount) layer"
      )
    }
    guard gradient.weight.rows == inputCount, gradient.weight.cols == outputCount, gradient.bias.count == outputCount
    else {
      throw LinearAlgebraError.dimensionMismatch(
        "Dense.backward: gradient shaped \(gradient.weight.shapeDescription) for a \(inputCount)→\(outputCount) layer")
    }
  }

  private func backwardKernel(
    _ x: FloatMatrix, _ y: FloatMatrix, _ dy: inout FloatMatrix, _ gradient: inout Gradient,
    _ dx: UnsafeMutablePointer<Float>?
  ) {
    let (n, i, o, act) = (x.rows, inputCount, outputCount, activation)
    x.scalars.withUnsafeBufferPointer { px in
      y.scalars.withUnsafeBufferPointer { py in
        dy.scalars.withUnsafeMutableBufferPointer { pd in
          weight.scalars.withUnsafeBufferPointer { pw in
            gradient.weight.scalars.withUnsafeMutableBufferPointer { gw in
              gradient.bias.withUnsafeMutableBufferPointer { gb in
                DenseKernel.activationBackward(
                  output: py.baseAddress!, gradient: pd.baseAddress!, rows: n, cols: o,
                  activation: act, biasGradient: gb.baseAddress!, accumulate: false)
                DenseKernel.weightGradient(
                  x: px.baseAddress!, delta: pd.baseAddress!, rows: n, inputs: i, outputs: o,
                  into: gw.baseAddress!, accumulate: false)
                if let dx {
                  DenseKernel.inputGradient(
                    delta: pd.baseAddress!, weight: pw.baseAddress!, rows: n, inputs: i, outputs: o,
                    into: dx)
                }
              }
            }
          }
        }
      }
    }
  }
}

/// The pointer-level passes of a dense layer, shared by ``Dense`` and the VAE's training
/// workspace (which keeps every buffer preallocated).
enum DenseKernel {
  /// Y ← f(X W + b): one `sgemm`, then one fused bias-and-activation pass.
  static func forward(
    x: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, activation: Activation,
    into y: UnsafeMutablePointer<Float>, parallelism: Parallelism = .serial
  ) {
    parallelism.sgemm(
      transposeA: false, transposeB: false, m: rows, n: outputs, k: inputs, x, lda: inputs, weight,
      ldb: outputs, y, ldc: outputs)
    biasActivation(y, rows: rows, cols: outputs, bias: bias, activation: activation)
  }

  /// Y ← f(Y + 1bᵀ) in place.
  static func biasActivation(
    _ y: UnsafeMutablePointer<Float>, rows m: Int, cols n: Int, bias b: UnsafePointer<Float>,
    activation: Activation
  ) {
    switch activation {
    case .identity, .relu:
      // The tape's dense node uses the same pass.
      FloatTapeKernels.biasRelu(b, y, m, n, relu: activation == .relu)
    case .sigmoid:
      for i in 0..<m {
        let row = y + i * n
        for j in 0..<n {
          let v = row[j] + b[j]
          let e = FastMath.exp(-Swift.abs(v))
          let s = 1 / (1 + e)
          row[j] = v >= 0 ? s : e * s
        }
      }
    case .tanh:
      for i in 0..<m {
        let row = y + i * n
        for j in 0..<n {
          let v = row[j] + b[j]
          let e = FastMath.exp(-2 * Swift.abs(v))
          let t = (1 - e) / (1 + e)
          row[j] = v >= 0 ? t : -t
        }
      }
    }
  }

  /// δ ← δ ⊙ f′ (read off the outputs Y) and ∂L/∂b ← (or +=) 1ᵀδ, in one pass.
  static func activationBackward(
    output y: UnsafePointer<Float>, gradient d: UnsafeMutablePointer<Float>, rows m: Int,
    cols n: Int, activation: Activation, biasGradient gb: UnsafeMutablePointer<Float>,
    accumulate: Bool
  ) {
    if !accumulate { gb.update(repeating: 0, count: n) }
    switch activation {
    case .identity:
      for i in 0..<m {
        let row = d + i * n
        var j = 0
        while j + 8 <= n { gb.store8(gb.load8(j) + row.load8(j), j); j += 8 }
        while j < n { gb[j] += row[j]; j += 1 }
      }
    case .relu:
      let zero = Float8(repeating: 0)
      for i in 0..<m {
        let row = d + i * n, out = y + i * n
        var j = 0
        while j + 8 <= n {
          let g = row.load8(j).replacing(with: zero, where: out.load8(j) .<= zero)
          row.store8(g, j)
          gb.store8(gb.load8(j) + g, j)
          j += 8
        }
        while j < n { let g = out[j] <= 0 ? 0 : row[j]; row[j] = g; gb[j] += g; j += 1 }
      }
    case .sigmoid:
      for i in 0..<m {
        let row = d + i * n, out = y + i * n
        for j in 0..<n { let g = row[j] * out[j] * (1 - out[j]); row[j] = g; gb[j] += g }
      }
    case .tanh:
      for i in 0..<m {
        let row = d + i * n, out = y + i * n
        for j in 0..<n { let g = row[j] * (1 - out[j] * out[j]); row[j] = g; gb[j] += g }
      }
    }
  }

  /// ∂L/∂W ← (or +=) Xᵀ δ.
  static func weightGradient(
    x: UnsafePointer<Float>, delta: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
    into gw: UnsafeMutablePointer<Float>, accumulate: Bool,
    parallelism: Parallelism = .serial
  ) {
    if rows == 0 {
      if !accumulate { gw.update(repeating: 0, count: inputs * outputs) }
      return
    }
    parallelism.sgemm(
      transposeA: true, transposeB: false, m: inputs, n: outputs, k: rows, x, lda: inputs, delta,
      ldb: outputs, beta: accumulate ? 1 : 0, gw, ldc: outputs)
  }

  /// ∂L/∂X ← δ Wᵀ.
  static func inputGradient(
    delta: UnsafePointer<Float>, weight: UnsafePointer<Float>, rows: Int, inputs: Int,
    outputs: Int, into dx: UnsafeMutablePointer<Float>, parallelism: Parallelism = .serial
  ) {
    parallelism.sgemm(
      transposeA: false, transposeB: true, m: rows, n: inputs, k: outputs, delta, lda: outputs, weight,
      ldb: outputs, dx, ldc: inputs)
  }
}
