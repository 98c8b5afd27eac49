/// SplitMix64: a small seeded generator, so a fuzzing run is repeated exactly from its seed on
/// any toolchain (the standard library's `random(in:using:)` may change its algorithm).
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in `0..<bound` (`bound` > 0).
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

  /// True with probability `1 / n`.
  mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

  /// A count from 1 to `limit`, mostly small but sometimes in the thousands: every power of two
  /// up to the limit is as likely as the next.
  mutating func count(upTo limit: Int) -> Int {
    guard limit > 1 else { return 1 }
    let bits = Int.bitWidth - limit.leadingZeroBitCount
    let top = 1 << below(bits)
    return min(limit, top + below(top))
  }

  mutating func element<T>(of array: [T]) -> T { array[below(array.count)] }
}
