import Foundation

/// A probability distribution p over values of type `Value` with a log-density
/// (with respect to Lebesgue or counting measure) and a sampler.
public protocol Distribution {
  associatedtype Value
  /// log p(x).
  func logDensity(_ x: Value) -> Double
  /// One draw x ~ p.
  func sample(using generator: inout SeededGenerator) -> Value
}

extension Distribution {
  /// p(x) = exp(log p(x)).
  public func density(_ x: Value) -> Double { exp(logDensity(x)) }
  /// n independent draws.
  public func sample(_ n: Int, using generator: inout SeededGenerator) -> [Value] {
    (0..<n).map { _ in sample(using: &generator) }
  }
}
