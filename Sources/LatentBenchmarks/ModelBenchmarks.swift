import Latent

/// EM iterations per second for factor analysis on the standardized wine data with 3 factors
/// (the model of chapter 01), or nil when the data cannot be found.
func factorAnalysisIterationsPerSecond() -> Double? {
  guard let wine = try? Wine.load() else { return nil }
  let X = wine.features.standardized
  // Several rounds; the best reflects the machine, not a neighbour's load.
  return (0..<3).compactMap { _ in try? FactorAnalysis.emIterationsPerSecond(X, factors: 3, iterations: 2_000) }.max()
}
