/// The functions of NotebookRuntime that a generated chapter program calls, by name: the planner
/// (`ChapterProgram`) writes its calls from these, and NotebookRuntime defines them as static
/// functions of `NotebookHooks`. `RuntimeHookTests` type-checks generated programs against the
/// built runtime, so renaming either side fails the tests rather than a chapter.
public enum RuntimeHook: String, CaseIterable, Sendable {
  /// `enterBlock(_ index: Int)`: before code block `index` runs.
  case enterBlock
  /// `inline(_ index: Int, _ value: Any)`: the value of inline prose expression `index`.
  case inline
  /// `checkpoint(after index: Int, _ names: [String], _ values: Any...)`: after block `index`,
  /// the top-level values declared so far, to be saved if it is worth it.
  case checkpoint
  /// `restore<T>(_ name: String) -> T`: a value saved by a checkpoint, in a resumed program.
  case restore
  /// `finish()`: the program reached its end.
  case finish

  /// The type in NotebookRuntime whose static functions the hooks are.
  public static let namespace = "NotebookHooks"
  /// The module the generated program imports for them.
  public static let module = "NotebookRuntime"

  /// The hook as the program calls it, e.g. `NotebookHooks.enterBlock`.
  public var qualifiedName: String { "\(Self.namespace).\(rawValue)" }
}
