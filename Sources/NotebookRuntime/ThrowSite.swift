internal import CExecInfo
import Foundation
internal import NotebookEvents

/// Remembers where the last error was thrown, so an uncaught `try` in chapter code can be
/// reported at its own line.
///
/// When top-level code lets an error escape, the Swift runtime stops the program with "Error
/// raised at top level" and a backtrace whose only frame in the program is compiler-generated:
/// the line of the `try` is gone. The runtime calls the `_swift_willThrow` hook on every
/// `throw`, though, while the `try`'s call is still on the stack. The hook writes the return
/// addresses of the program's own frames (as offsets into its file) over a small file; the
/// engine reads it after such a crash and turns the offsets into Markdown lines with
/// `llvm-symbolizer`. Throws are rare, so a `pwrite` each costs nothing that matters.
enum ThrowSite {
  /// Installs the hook when the engine asked for throw sites (`NOTEBOOK_THROW_SITE`).
  static func install() {
    guard let path = ProcessInfo.processInfo.environment[RuntimeEnvironment.throwSitePath],
      let hook = dlsym(nil, "_swift_willThrow")
    else { return }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return }
    throwSiteDescriptor = descriptor
    programRange = mainExecutableRange()
    _ = (hexDigits, stackBuffer)  // initialized before the first throw
    hook.assumingMemoryBound(to: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?.self).pointee =
      recordThrowSite
  }

  /// The addresses where the program's own file is mapped, from `/proc/self/maps`; the first
  /// mapping (file offset 0) is the base that offsets count from.
  private static func mainExecutableRange() -> Range<UInt>? {
    guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
      let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
    else { return nil }
    var range: Range<UInt>?
    for entry in maps.split(separator: "\n") where entry.hasSuffix(" " + executable) {
      let bounds = entry.prefix { $0 != " " }.split(separator: "-").compactMap { UInt($0, radix: 16) }
      guard bounds.count == 2 else { continue }
      range = range.map { $0.lowerBound..<max($0.upperBound, bounds[1]) } ?? bounds[0]..<bounds[1]
    }
    return range
  }
}

private nonisolated(unsafe) var throwSiteDescriptor: Int32 = -1
private nonisolated(unsafe) var programRange: Range<UInt>?

/// Frames kept per throw: the outermost of the program's, where top-level code's `try` is.
private let keptFrames = 16
private let hexDigits = Array("0123456789abcdef".utf8)
/// Room for the deepest stack a chapter may have (a deep recursion that then throws).
private let stackCapacity = 1 << 16
private let stackBuffer = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: stackCapacity)
/// One record: `keptFrames` offsets of 16 hexadecimal digits and a separator each.
private let recordLength = keptFrames * 17

/// The `_swift_willThrow` hook: the offsets of the instructions that made each call, for the
/// program's own frames (the outermost `keptFrames`, innermost first), as a fixed-length record
/// written with one `pwrite` over the last one. Top-level code runs on the main thread, and
/// only its throws can escape to the top, so other threads' throws are not recorded (nor can
/// they interleave with it).
private func recordThrowSite(_ error: UnsafeMutableRawPointer?) {
  guard let range = programRange, throwSiteDescriptor >= 0, Thread.isMainThread else { return }
  let depth = Int(backtrace(stackBuffer, Int32(stackCapacity)))
  let frames = (0..<depth).lazy.compactMap { stackBuffer[$0].map { UInt(bitPattern: $0) } }.filter {
    range.contains($0)
  }
  var record = [UInt8](repeating: UInt8(ascii: " "), count: recordLength)
  for (slot, address) in Array(frames).suffix(keptFrames).enumerated() {
    // A return address follows its call; one byte back lies inside the call instruction.
    var offset = address - range.lowerBound - 1
    for digit in (0..<16).reversed() {
      record[slot * 17 + digit] = hexDigits[Int(offset & 0xF)]
      offset >>= 4
    }
  }
  record[recordLength - 1] = UInt8(ascii: "\n")
  record.withUnsafeBytes { bytes in
    _ = pwrite(throwSiteDescriptor, bytes.baseAddress, bytes.count, 0)
  }
}
