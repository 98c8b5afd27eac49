/// The course's random number generator: xoshiro256** 1.0 (Blackman & Vigna 2018),
/// seeded by expanding a 64-bit seed with ``SplitMix64``.
///
/// Period 2²⁵⁶ − 1, passes BigCrush, four 64-bit words of state, no
/// floating point: the stream for a given seed is bit-identical on every
/// platform and Swift version. All samplers in `Latent` (uniform, normal,
/// gamma, shuffles) are written on top of ``next()`` with fixed algorithms,
/// so notebooks are reproducible to the last digit.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let z = rng.normal()            // 𝒩(0, 1)
/// let batch = rng.permutation(60_000)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  /// The 256-bit state s₀…s₃ (never all zero).
  public private(set) var state: (UInt64, UInt64, UInt64, UInt64)
  /// The second value of the last polar-method pair, if not yet used.
  var spareNormal: Double?

  /// Seeds the state with the first four outputs of SplitMix64(seed).
  public init(seed: UInt64) {
    var sm = SplitMix64(seed: seed)
    state = (sm.next(), sm.next(), sm.next(), sm.next())
  }

  /// Uses the given state words directly (they must not all be zero).
  public init(state s: (UInt64, UInt64, UInt64, UInt64)) {
    require(s != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
    state = s
  }

  @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// The next 64 random bits: rotl(s₁·5, 7)·9, then the xoshiro state update.
  @inline(__always)
  public mutating func next() -> UInt64 {
    let result = Self.rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = Self.rotl(state.3, 45)
    return result
  }

  /// A generator for an independent stream: advances this one by 2¹²⁸ steps
  /// (the reference `jump()`), returning a copy of the state before the jump.
  public mutating func split() -> SeededGenerator {
    let copy = self
    let jump: [UInt64] = [0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C]
    var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0
    for j in jump {
      for b in 0..<64 {
        if j & (1 << UInt64(b)) != 0 { s0 ^= state.0; s1 ^= state.1; s2 ^= state.2; s3 ^= state.3 }
        _ = next()
      }
    }
    state = (s0, s1, s2, s3)
    spareNormal = nil
    return copy
  }
}

/// Saved as its four state words and the spare normal, so a restored generator continues
/// exactly where the saved one stopped (chapter checkpoints rely on this).
extension SeededGenerator: Codable {
  enum CodingKeys: String, CodingKey { case state, spareNormal }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let words = try container.decode([UInt64].self, forKey: .state)
    guard words.count == 4, words != [0, 0, 0, 0] else {
      throw DecodingError.dataCorruptedError(
        forKey: .state, in: container, debugDescription: "xoshiro256** needs four state words, not all zero")
    }
    self.init(state: (words[0], words[1], words[2], words[3]))
    spareNormal = try container.decodeIfPresent(Double.self, forKey: .spareNormal)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode([state.0, state.1, state.2, state.3], forKey: .state)
    try container.encodeIfPresent(spareNormal, forKey: .spareNormal)
  }
}
