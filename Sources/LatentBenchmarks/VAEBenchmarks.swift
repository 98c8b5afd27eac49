import Foundation
import Latent

/// Peak resident memory of this process so far, in MiB (getrusage's ru_maxrss is in KiB on Linux).
func peakMemoryMiB() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024
}

/// VAE training throughput, hand-written and on the tape: epochs of Fashion-MNIST with the
/// configuration of chapter 06 (784-400-20-400-784, Adam 1e-3, batch 128, loss summed over the
/// batch) on `LATENT_THREADS` (default 2) threads, after a warm-up of 20 steps each. The two
/// trainers alternate steps, so a busy spell of the machine slows both. Returns images per
/// second, or nil when the data set is missing.
func vaeTrainImagesPerSecond(epochs: Int = 2) -> (handWritten: Double, autodiff: Double)? {
  let train: FashionMNIST
  do { train = try FashionMNIST.load(split: .train) } catch {
    FileHandle.standardError.write(Data("vae_train_images_per_second: \(error)\n".utf8))
    return nil
  }
  var rng = SeededGenerator(seed: 6)
  let initial = VariationalAutoencoder(inputDimension: 784, hiddenDimension: 400, latentDimension: 20, using: &rng)
  let trainer = AEVBTrainer(model: initial, optimizer: Adam(learningRate: 1e-3), batchSize: 128)
  trainer.reportsProgress = false
  let onTape = TapeVAE(model: initial)
  do {
    let warmUp = Array(0..<128)
    for _ in 0..<20 {
      try trainer.step(on: train.images, rows: warmUp, using: &rng)
      try onTape.step(train.images.rows(at: warmUp), using: &rng)
    }
    // Step by step in turn, the same minibatch for both, so a busy spell of the machine
    // lands on both alike; the time of each is summed over the epochs.
    var seconds = (0.0, 0.0)
    for _ in 0..<epochs {
      for batch in rng.minibatches(count: train.images.rows, batchSize: 128) {
        var t0 = now()
        try trainer.step(on: train.images, rows: batch, using: &rng)
        seconds.0 += now() - t0
        t0 = now()
        try onTape.step(train.images.rows(at: batch), using: &rng)
        seconds.1 += now() - t0
      }
    }
    let n = Double(epochs * train.images.rows)
    return (n / seconds.0, n / seconds.1)
  } catch {
    FileHandle.standardError.write(Data("vae_train_images_per_second: \(error)\n".utf8))
    return nil
  }
}

/// The VAE written as chapter 06 writes it: the forward pass on a ``Tape``, gradients from
/// ``Tape/gradients(of:)``, one ``Adam`` update per layer.
final class TapeVAE {
  var model: VariationalAutoencoder
  var adam = Adam(learningRate: 1e-3)

  init(model: VariationalAutoencoder) { self.model = model }

  func step(_ x: FloatMatrix, using rng: inout SeededGenerator) throws {
    // The tape is gone before the update, so the layers' arrays are not shared and change in place.
    let gradients = try layerGradients(x, noise: rng.normalFloatMatrix(rows: x.rows, cols: 20))
    adam.nextStep()
    adam.update(&model.encoderHidden, gradient: gradients[0], slot: 0)
    adam.update(&model.encoderGaussian, gradient: gradients[1], slot: 1)
    adam.update(&model.decoderHidden, gradient: gradients[2], slot: 2)
    adam.update(&model.decoderLogits, gradient: gradients[3], slot: 3)
  }

  func layerGradients(_ x: FloatMatrix, noise: FloatMatrix) throws -> [Dense.Gradient] {
    let tape = Tape<FloatMatrix>()
    let layers = model.layers.map { $0.parameters(on: tape) }
    let gaussian = try layers[1](layers[0](tape.constant(x)))
    let mean = try gaussian.columns(0..<20), logVariance = try gaussian.columns(20..<40)
    let z = try reparameterize(mean: mean, logVariance: logVariance, noise: noise)
    let logits = try layers[3](layers[2](z))
    let elbo = try bernoulliLogLikelihood(logits: logits, targets: x) - gaussianKL(mean: mean, logVariance: logVariance)
    let gradients = try tape.gradients(of: -elbo.sum())
    return try layers.map { try gradients.gradient(of: $0) }
  }
}
