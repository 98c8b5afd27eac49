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

/// The `_swift_willThrow` hook: the program's frames on the stack, as hexadecimal offsets of
/// the instructions that made each call, innermost first, on one line.
private func recordThrowSite(_ error: UnsafeMutableRawPointer?) {
  guard let range = programRange, throwSiteDescriptor >= 0 else { return }
  var offsets: [String] = []
  for address in Thread.callStackReturnAddresses.prefix(64) where range.contains(address.uintValue) {
    // A return address follows its call; one byte back lies inside the call instruction.
    offsets.append("0x" + String(address.uintValue - range.lowerBound - 1, radix: 16))
  }
  let line = Array((offsets.joined(separator: " ") + "\n").utf8)
  line.withUnsafeBytes { bytes in
    _ = pwrite(throwSiteDescriptor, bytes.baseAddress, bytes.count, 0)
  }
  _ = ftruncate(throwSiteDescriptor, off_t(line.count))
}
