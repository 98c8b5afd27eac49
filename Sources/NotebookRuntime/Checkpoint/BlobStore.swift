import Foundation
internal import NotebookEvents

/// Large arrays of a checkpoint, one file each, named by the SHA-256 of their bytes: the
/// 188 MB of training images saved after every heavy block are written once and shared by every
/// checkpoint (and chapter) that holds them.
final class BlobStore {
  let directory: String
  /// Names of the blobs the current checkpoint refers to, so the engine knows what it keeps alive.
  private(set) var used: Set<String> = []
  /// Arrays already stored in this process, by buffer. Holding the array keeps its buffer from
  /// being changed in place (a write would copy it), so a buffer seen again has the same bytes.
  private var stored: [UnsafeRawPointer: (array: Any, name: String)] = [:]
  /// Arrays already read in this process, by name.
  private var loaded: [String: CheckpointBox] = [:]

  init(directory: String) { self.directory = directory }

  func beginCheckpoint() { used = [] }

  func store<T>(_ values: [T]) throws -> String {
    let name: String = try values.withUnsafeBytes { raw in
      // A blob stored earlier in this run is reused only if it is still on disk (touched, so a
      // prune leaves it); one deleted since is written again.
      if let base = raw.baseAddress, let known = stored[base], (known.array as? [T])?.count == values.count,
        markInUse(known.name)
      {
        return known.name
      }
      let hasher = SHA256Digest()
      hasher.update(raw)
      let name = hasher.hexDigest()
      let path = directory + "/" + name
      if !markInUse(name) {
        let temporary = path + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(raw)) else {
          throw CheckpointError("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
          unlink(temporary)
          throw CheckpointError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
      }
      if let base = raw.baseAddress { stored[base] = (values, name) }
      return name
    }
    used.insert(name)
    return name
  }

  /// Gives the blob a fresh modification time if it exists, and says whether it does: the
  /// engine's pruning leaves young blobs alone, so one this checkpoint reuses is not deleted
  /// before its manifest is stored.
  private func markInUse(_ name: String) -> Bool {
    utimes(directory + "/" + name, nil) == 0
  }

  /// Reads a blob and checks that its bytes still hash to its name.
  func load(name: String, kind: CheckpointBox.ArrayKind, count: Int) throws -> CheckpointBox {
    if let box = loaded[name] { return box }
    guard name.count == 64, name.allSatisfy({ $0.isHexDigit }) else { throw CheckpointError("a bad blob name") }
    // Mapped, not read: the bytes are copied once, into the array that keeps them.
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + name), options: .alwaysMapped) else {
      throw CheckpointError("blob \(name.prefix(12)) is missing")
    }
    // The bytes are hashed on another core while they are copied; the copy is kept only if
    // they still hash to the blob's name.
    let hashed = DispatchGroup()
    nonisolated(unsafe) var digest = ""
    DispatchQueue.global().async(group: hashed) {
      let hasher = SHA256Digest()
      data.withUnsafeBytes { hasher.update($0) }
      digest = hasher.hexDigest()
    }
    defer { hashed.wait() }
    func verified() throws {
      hashed.wait()
      guard digest == name else { throw CheckpointError("blob \(name.prefix(12)) is corrupted") }
    }
    func array<T>(_: T.Type) throws -> [T] {
      guard data.count == count * MemoryLayout<T>.stride else {
        throw CheckpointError("blob \(name.prefix(12)) has \(data.count) bytes, not \(count) values")
      }
      return data.withUnsafeBytes { raw in
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
          UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
          initialized = count
        }
      }
    }
    let box: CheckpointBox
    switch kind {
    case .floats: box = .floats(try array(Float.self))
    case .doubles: box = .doubles(try array(Double.self))
    case .ints: box = .ints(try array(Int64.self).map { Int($0) })
    case .bytes: box = .bytes(try array(UInt8.self))
    }
    try verified()
    loaded[name] = box
    return box
  }
}
