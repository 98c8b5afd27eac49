import Foundation
internal import NotebookEvents

/// Saving and restoring a chapter program's top-level values, so that an edit to a late block
/// reruns from the last heavy block before it instead of from the start.
///
/// The engine lists, after each block, every top-level value declared so far; the program saves
/// them all (never a guess at which ones a block changed) once enough time has passed since the
/// last save. A resumed program declares the same values with `restore(_:)` in place of the
/// blocks that computed them. See README, "Resuming a chapter".
extension NotebookHooks {
  /// After block `index`: saves `values` (named by `names`, in declaration order) if the blocks
  /// since the last checkpoint took long enough to be worth it.
  public static func checkpoint(after index: Int, _ names: [String], _ values: Any...) {
    CheckpointWriter.shared.checkpoint(after: index, names: names, values: values)
  }

  /// A top-level value as it was saved; only a resumed program calls this.
  public static func restore<T>(_ name: String) -> T {
    CheckpointReader.shared.restore(name)
  }
}

final class CheckpointWriter: @unchecked Sendable {
  static let shared = CheckpointWriter()

  private let directory: String?
  private let blobs: BlobStore?
  private let minimumSeconds: Double
  private var since = Date()
  private var disabled = false

  private init() {
    let environment = ProcessInfo.processInfo.environment
    directory = environment[RuntimeEnvironment.checkpointDirectory]
    blobs = environment[RuntimeEnvironment.checkpointBlobDirectory].map(BlobStore.init)
    minimumSeconds = environment[RuntimeEnvironment.checkpointSeconds].flatMap(Double.init) ?? 1
  }

  /// Restarts the clock (after a resumed program has read its values back).
  func restartClock() { since = Date() }

  func checkpoint(after index: Int, names: [String], values: [Any]) {
    guard let directory, let blobs, !disabled, names.count == values.count else { return }
    // Every value is checked at every block, not only when a save is due, so whether the author
    // hears about an unsavable value never depends on how fast this machine happens to be.
    var encodables: [(String, any Encodable)] = []
    for (name, value) in zip(names, values) {
      guard let encodable = value as? any Encodable else {
        let type = String(reflecting: Swift.type(of: value))
        return stop("`\(name)` is a \(type), which cannot be saved (it is not Codable)")
      }
      encodables.append((name, encodable))
    }
    guard Date().timeIntervalSince(since) >= minimumSeconds else { return }
    let start = Date()
    defer { since = Date() }

    do {
      blobs.beginCheckpoint()
      let encoder = CheckpointEncoder()
      var entries: [(String, CheckpointBox)] = []
      for (name, value) in encodables { entries.append((name, try encoder.encode(value, named: name))) }
      let bytes = try CheckpointFormat.serialize(.map(entries), blobs: blobs)
      let hasher = SHA256Digest()
      bytes.withUnsafeBytes { hasher.update($0) }
      let stem = directory + "/after-\(index)"
      try write(Data(bytes), to: stem + ".state")
      let manifest = CheckpointManifest(
        cell: index,
        variables: zip(names, values).map { .init(name: $0, type: String(reflecting: Swift.type(of: $1))) },
        blobs: blobs.used.sorted(), stateDigest: hasher.hexDigest(), saveSeconds: Date().timeIntervalSince(start),
        elapsedSeconds: start.timeIntervalSince(EventChannel.shared.started))
      try write(try JSONEncoder().encode(manifest), to: stem + ".json")
      EventChannel.shared.send(.checkpointSaved(afterBlock: index, manifestPath: stem + ".json"))
    } catch let error as CheckpointError {
      stop(error.description)
    } catch {
      stop("it could not be saved: \(error)")
    }
  }

  /// No more checkpoints in this run: the reason goes to the engine, which tells the author.
  private func stop(_ reason: String) {
    disabled = true
    EventChannel.shared.send(.checkpointsStopped(reason: reason))
  }

  private func write(_ data: Data, to path: String) throws {
    let temporary = path + ".partial"
    guard FileManager.default.createFile(atPath: temporary, contents: data) else {
      throw CheckpointError("cannot write \(temporary)")
    }
    guard rename(temporary, path) == 0 else { throw CheckpointError("cannot write \(path)") }
  }
}

final class CheckpointReader: @unchecked Sendable {
  static let shared = CheckpointReader()
  private var values: [String: CheckpointBox]?

  func restore<T>(_ name: String) -> T {
    do {
      let box = try load()[name]
      guard let box else { throw CheckpointError("`\(name)` is not in the checkpoint") }
      guard let decodable = T.self as? any Decodable.Type else {
        throw CheckpointError("`\(name)` is a \(T.self), which is not Codable")
      }
      func decode<D: Decodable>(_ type: D.Type) throws -> D { try CheckpointDecoder().decode(type, from: box) }
      guard let value = try decode(decodable) as? T else { throw CheckpointError("`\(name)` did not read back") }
      CheckpointWriter.shared.restartClock()
      return value
    } catch {
      // The engine sees this status and runs the chapter from its start instead.
      FileHandle.standardError.write(Data("notebook: cannot resume from the checkpoint: \(error)\n".utf8))
      exit(RuntimeEnvironment.resumeFailureStatus)
    }
  }

  private func load() throws -> [String: CheckpointBox] {
    if let values { return values }
    let environment = ProcessInfo.processInfo.environment
    guard let path = environment[RuntimeEnvironment.resumeState],
      let blobDirectory = environment[RuntimeEnvironment.checkpointBlobDirectory]
    else { throw CheckpointError("no checkpoint to resume from") }
    guard let data = FileManager.default.contents(atPath: path) else { throw CheckpointError("cannot read \(path)") }
    let box = try data.withUnsafeBytes {
      try CheckpointFormat.deserialize($0, blobs: BlobStore(directory: blobDirectory))
    }
    guard case .map(let entries) = box else { throw CheckpointError("the checkpoint holds no values") }
    var values: [String: CheckpointBox] = [:]
    for (key, value) in entries { values[key] = value }
    self.values = values
    return values
  }
}
