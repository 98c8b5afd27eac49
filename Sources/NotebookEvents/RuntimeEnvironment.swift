/// Environment variables through which the engine talks to a chapter program.
public enum RuntimeEnvironment {
  /// Path of the JSON-lines event file the program appends to.
  public static let eventsPath = "NOTEBOOK_EVENTS"
  /// Directory where `display` writes figure files.
  public static let figuresDirectory = "NOTEBOOK_FIGURES"
  /// The chapter's seed from its front matter.
  public static let seed = "NOTEBOOK_SEED"
  /// File where the program keeps the call sites of the last `throw` (see `ThrowSite`).
  public static let throwSitePath = "NOTEBOOK_THROW_SITE"
  /// Folder where the program saves checkpoints (`after-<block>.state` and `.json`); none without it.
  public static let checkpointDirectory = "NOTEBOOK_CHECKPOINTS"
  /// Folder of the checkpoints' large arrays, shared by all chapters.
  public static let checkpointBlobDirectory = "NOTEBOOK_CHECKPOINT_BLOBS"
  /// Seconds of work since the last checkpoint that make the next one worth saving (default 1).
  public static let checkpointSeconds = "NOTEBOOK_CHECKPOINT_SECONDS"
  /// The state file a resumed program reads its top-level values from.
  public static let resumeState = "NOTEBOOK_RESUME"
  /// Exit status of a resumed program that could not read its checkpoint back.
  public static let resumeFailureStatus: Int32 = 86
}
