/// What the engine needs to know of a checkpoint a chapter program saved, written as JSON
/// beside its state file (`after-<block>.json`).
public struct CheckpointManifest: Codable, Equatable, Sendable {
  public struct Variable: Codable, Equatable, Sendable {
    public var name: String
    /// `String(reflecting:)` of the value's type, e.g. `Latent.FloatMatrix`.
    public var type: String
    public init(name: String, type: String) {
      self.name = name
      self.type = type
    }
  }
  /// The block after which the values were saved.
  public var cell: Int
  /// Every top-level value declared up to that block, in order.
  public var variables: [Variable]
  /// The large arrays (SHA-256 names in the blob folder) the state refers to.
  public var blobs: [String]
  /// SHA-256 of the state file.
  public var stateDigest: String
  public var saveSeconds: Double
  /// Seconds the program had run when it saved (the work a resumed run skips).
  public var elapsedSeconds: Double

  public init(
    cell: Int, variables: [Variable], blobs: [String], stateDigest: String, saveSeconds: Double,
    elapsedSeconds: Double
  ) {
    self.cell = cell
    self.variables = variables
    self.blobs = blobs
    self.stateDigest = stateDigest
    self.saveSeconds = saveSeconds
    self.elapsedSeconds = elapsedSeconds
  }
}
