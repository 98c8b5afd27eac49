// latent-bench: performance figures for the Latent library, one line each:
//   name value unit
// Usage: latent-bench [substring]   — runs only benchmarks whose name contains it.
// Set OPENBLAS_CORETYPE before starting (the Makefile does); LATENT_THREADS sets the BLAS thread count.
import CBLAS
import Foundation
import Latent

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Best (minimum) wall time of `reps` runs after one warm-up.
func bestTime(reps: Int, _ body: () -> Void) -> Double {
  body()
  var best = Double.infinity
  for _ in 0..<reps {
    let t0 = now()
    body()
    best = min(best, now() - t0)
  }
  return best
}

func randomFloatMatrix(_ n: Int, seed: UInt64) -> FloatMatrix {
  var g = SeededGenerator(seed: seed)
  return FloatMatrix(rows: n, cols: n, scalars: (0..<(n * n)).map { _ in Float(g.uniform() - 0.5) })
}

/// Times Matrix `*` and raw cblas_sgemm on the same inputs, alternating rounds so
/// both see the same machine state; returns (matrix GFLOP/s, raw GFLOP/s).
func sgemmPair(n: Int, reps: Int) -> (Double, Double) {
  let a = randomFloatMatrix(n, seed: 1), b = randomFloatMatrix(n, seed: 2)
  var sink: Float = 0
  var raw = [Float](repeating: 0, count: n * n)
  let flops = 2 * Double(n) * Double(n) * Double(n)
  var bestMatrix = Double.infinity, bestRaw = Double.infinity
  for _ in 0..<3 {
    bestMatrix = min(
      bestMatrix,
      bestTime(reps: reps) {
        let c = a * b; sink += c.scalars[0]
      })
    bestRaw = min(
      bestRaw,
      bestTime(reps: reps) {
        a.scalars.withUnsafeBufferPointer { pa in
          b.scalars.withUnsafeBufferPointer { pb in
            raw.withUnsafeMutableBufferPointer { pc in
              cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                pa.baseAddress, Int32(n), pb.baseAddress, Int32(n), 0, pc.baseAddress, Int32(n))
            }
          }
        }
        sink += raw[0]
      })
  }
  if sink.isNaN { print("# NaN") }
  return (flops / bestMatrix / 1e9, flops / bestRaw / 1e9)
}

let filter = CommandLine.arguments.dropFirst().first ?? ""
func wanted(_ names: [String]) -> Bool { filter.isEmpty || names.contains { $0.contains(filter) } }
func report(_ name: String, _ value: Double, _ unit: String) {
  if filter.isEmpty || name.contains(filter) {
    print("\(name) \(String(format: "%.3f", value)) \(unit)")
    fflush(stdout)
  }
}

BLAS.configure()

for (n, reps) in [(512, 40), (2048, 4)] {
  let names = ["matrix_sgemm_gflops_\(n)", "raw_sgemm_gflops_\(n)"]
  guard wanted(names) else { continue }
  let (m, r) = sgemmPair(n: n, reps: reps)
  report(names[0], m, "GFLOP/s")
  report(names[1], r, "GFLOP/s")
}

if wanted(["fashion_mnist_load_seconds"]) {
  do {
    let t0 = now()
    let train = try FashionMNIST.load(split: .train)
    let dt = now() - t0
    precondition(train.images.rows == 60_000)
    report("fashion_mnist_load_seconds", dt, "s")
  } catch {
    FileHandle.standardError.write(Data("fashion_mnist_load_seconds: \(error)\n".utf8))
  }
}

if wanted(["fa_em_iterations_per_second"]), let rate = factorAnalysisIterationsPerSecond() {
  report("fa_em_iterations_per_second", rate, "iterations/s")
}

// Both trainers in one run (the target is a ratio); the peak memory is the process's over both.
if wanted([
  "vae_train_images_per_second", "autodiff_vae_train_images_per_second", "autodiff_vae_speed_ratio",
  "vae_peak_memory_mib",
]),
  let rates = vaeTrainImagesPerSecond()
{
  report("vae_train_images_per_second", rates.handWritten, "images/s")
  report("autodiff_vae_train_images_per_second", rates.autodiff, "images/s")
  report("autodiff_vae_speed_ratio", rates.autodiff / rates.handWritten, "x")
  report("vae_peak_memory_mib", peakMemoryMiB(), "MiB")
}
