import Foundation
internal import NotebookEvents

/// Hooks the engine's generated program calls; chapter authors never call these. The engine
/// writes their names from `RuntimeHook`, which lists them all.
public enum NotebookHooks {
  /// Marks the start of code block `index`: flushes stdout and records its offset,
  /// so output is attributed to blocks even if a later block traps.
  public static func enterBlock(_ index: Int) {
    let offset = flushedStandardOutputOffset()
    EventChannel.shared.send(.blockStarted(index: index, outputOffset: offset))
  }

  /// Records the value of inline prose expression `index`.
  public static func inline(_ index: Int, _ value: Any) {
    EventChannel.shared.send(.inlineValue(index: index, text: inlineText(value)))
  }

  /// Marks a normal end of the program.
  public static func finish() {
    _ = flushedStandardOutputOffset()
    EventChannel.shared.send(.programFinished)
  }
}

/// How an inline value reads in prose: integers plainly, doubles in their shortest exact form.
func inlineText(_ value: Any) -> String {
  switch value {
  case let x as Double: return formatNumber(x)
  case let x as Float: return formatNumber(Double(x))
  case let x as String: return x
  case let x as CustomStringConvertible: return x.description
  default: return String(describing: value)
  }
}

/// Shortest round-trip text for a double, with integers shown without ".0".
func formatNumber(_ x: Double) -> String {
  if x.isNaN { return "NaN" }
  if x.isInfinite { return x > 0 ? "∞" : "−∞" }
  if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
  return "\(x)"
}

/// The chapter's seed from its front matter (`seed:`), 0 when run outside the engine.
public let chapterSeed: UInt64 = {
  let text = ProcessInfo.processInfo.environment[RuntimeEnvironment.seed] ?? "0"
  return UInt64(text) ?? 0
}()
