import Foundation
import Latent

/// Peak resident memory of this process so far, in MiB (getrusage's ru_maxrss is in KiB on Linux).
func peakMemoryMiB() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024
}

/// VAE training throughput: one epoch of Fashion-MNIST with the configuration of chapter 06
/// (784-400-20-400-784, Adam 1e-3, batch 128, loss summed over the batch) on `LATENT_THREADS`
/// (default 2) BLAS threads, after a warm-up of 20 steps; the best of `epochs` epochs.
/// Returns images per second, or nil when the data set is missing.
func vaeTrainImagesPerSecond(epochs: Int = 2) -> Double? {
  let train: FashionMNIST
  do { train = try FashionMNIST.load(split: .train) } catch {
    FileHandle.standardError.write(Data("vae_train_images_per_second: \(error)\n".utf8))
    return nil
  }
  var rng = SeededGenerator(seed: 6)
  let vae = VariationalAutoencoder(inputDimension: 784, hiddenDimension: 400, latentDimension: 20, using: &rng)
  let trainer = AEVBTrainer(model: vae, optimizer: Adam(learningRate: 1e-3), batchSize: 128)
  trainer.reportsProgress = false
  do {
    for _ in 0..<20 { try trainer.step(on: train.images, rows: Array(0..<128), using: &rng) }
    var best = Double.infinity
    for _ in 0..<epochs {
      let t0 = now()
      try trainer.trainEpoch(on: train.images, using: &rng)
      best = min(best, now() - t0)
    }
    return Double(train.images.rows) / best
  } catch {
    FileHandle.standardError.write(Data("vae_train_images_per_second: \(error)\n".utf8))
    return nil
  }
}
