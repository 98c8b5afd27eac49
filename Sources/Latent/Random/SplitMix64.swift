/// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference `splitmix64.c`).
///
/// xₖ = seed + k·0x9E3779B97F4A7C15, output = mix(xₖ) with the
/// Stafford variant-13 finaliser. Used here only to expand one 64-bit seed
/// into the 256-bit state of ``SeededGenerator``, as Vigna recommends.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable {
  /// The Weyl-sequence state.
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
