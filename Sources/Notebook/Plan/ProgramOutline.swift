import Foundation

/// The top level of a chapter's runnable blocks as the compiler's own parser sees it
/// (`swiftc -dump-parse`, about 0.2 s): which lines declare functions and types, which
/// statements declare top-level values, and which do neither.
///
/// Checkpoints need this twice: to save every top-level value after a block, and to write a
/// resumed program that declares the same values restored, keeps the declarations and drops
/// the statements that already ran.
public struct ProgramOutline: Sendable, Equatable {
  /// A top-level `let` or `var`.
  public struct Variable: Sendable, Equatable {
    public var name: String
    public var isLet: Bool
    /// Markdown line and column of the name.
    public var line: Int
    public var column: Int
  }

  public enum Item: Sendable, Equatable {
    /// A function, type, extension, import or alias: lines `first...last` of the block's code
    /// (0-based), copied into a resumed program as they are.
    case declaration(first: Int, last: Int)
    /// A statement declaring top-level values.
    case binding([Variable])
    /// Any other statement: it ran before the checkpoint and is left out of a resumed program.
    case statement
  }

  /// Items of each runnable block, in program order.
  public var blocks: [[Item]]
  /// Blocks `0..<savableBlocks` declare only values a checkpoint can hold: each initialized
  /// where it is declared, none computed or observed, and no declaration sharing a line with
  /// another item. Checkpoints are taken only after those blocks.
  public var savableBlocks: Int

  /// The values declared in runnable blocks `0...position`.
  public func variables(through position: Int) -> [Variable] {
    blocks.prefix(position + 1).flatMap { items in
      items.flatMap { item -> [Variable] in
        if case .binding(let variables) = item { return variables }
        return []
      }
    }
  }

  /// Outlines the runnable cells of `chapter`, or nil if the compiler cannot parse them (the
  /// compile that follows reports why).
  public static func make(_ chapter: Chapter, swiftc: String, scratch: String) -> ProgramOutline? {
    let cells = chapter.cells.filter(\.runs)
    guard !cells.isEmpty else { return ProgramOutline(blocks: [], savableBlocks: 0) }
    var text = ""
    var starts: [Int] = []
    var line = 1
    for cell in cells {
      starts.append(line)
      text += cell.code + "\n"
      line += cell.code.split(separator: "\n", omittingEmptySubsequences: false).count
    }
    let file = scratch + "/outline.swift"
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    // The frontend itself, without the driver in front of it, when it is beside `swiftc`: 0.05 s, not 0.15 s.
    let frontend = URL(fileURLWithPath: swiftc).deletingLastPathComponent().appendingPathComponent("swift-frontend")
      .path
    let command =
      FileManager.default.isExecutableFile(atPath: frontend)
      ? (frontend, ["-frontend", "-dump-parse", file]) : (swiftc, ["-dump-parse", file])
    guard (try? text.write(toFile: file, atomically: true, encoding: .utf8)) != nil,
      let outcome = try? ProcessRunner.run(
        command.0, arguments: command.1, environment: ProcessInfo.processInfo.environment,
        workingDirectory: scratch, stdout: scratch + "/outline.out", stderr: scratch + "/outline.err", timeout: 60),
      outcome.termination == .exited(0),
      let dump = try? String(contentsOfFile: scratch + "/outline.out", encoding: .utf8)
    else { return nil }
    return parse(dump: dump, blockStarts: starts, cells: cells)
  }

  /// Reads the parse dump; `blockStarts` are the first lines of each block in the parsed file.
  static func parse(dump: String, blockStarts: [Int], cells: [Cell]) -> ProgramOutline? {
    var blocks = [[Item]](repeating: [], count: blockStarts.count)
    var unsavable = blockStarts.count
    var occupied: [Int: Int] = [:]  // parsed-file line -> items starting or ending there

    func block(of line: Int) -> Int? { blockStarts.lastIndex { $0 <= line } }
    func markUnsavable(_ position: Int) { unsavable = min(unsavable, position) }

    // Top-level nodes start with exactly two spaces; their children are indented further.
    var nodes: [(head: String, body: [String])] = []
    for raw in dump.split(separator: "\n", omittingEmptySubsequences: false) {
      let text = String(raw)
      if text.hasPrefix("  (") {
        nodes.append((text, []))
      } else if text.hasPrefix("   "), !nodes.isEmpty {
        nodes[nodes.count - 1].body.append(text)
      }
    }
    var pendingBinding: (position: Int, initialized: Bool)?
    for node in nodes {
      guard let range = Self.range(in: node.head) else { continue }
      guard let position = block(of: range.startLine), block(of: range.endLine) == position else { return nil }
      let kind = node.head.dropFirst(3).prefix { $0 != " " && $0 != ")" }
      let first = range.startLine - blockStarts[position]
      let last = range.endLine - blockStarts[position]
      switch kind {
      case "top_level_code_decl":
        occupied[range.startLine, default: 0] += 1
        if range.endLine != range.startLine { occupied[range.endLine, default: 0] += 1 }
        let isBinding = node.body.prefix(2).contains { $0.contains("(pattern_binding_decl") }
        if isBinding {
          let entries = node.body.filter { $0.contains("(pattern_entry") }.count
          let initializers = node.body.filter { $0.contains("(original_init=") }.count
          blocks[position].append(.binding([]))
          pendingBinding = (position, initializers >= entries)
          if initializers < entries { markUnsavable(position) }
        } else {
          blocks[position].append(.statement)
          pendingBinding = nil
        }
      case "var_decl":
        guard let binding = pendingBinding, binding.position == position,
          case .binding(var variables)? = blocks[position].last,
          let name = Self.quoted(in: node.head)
        else { return nil }
        // Accessors (computed or observed values) follow as children: the head does not close.
        if !node.head.hasSuffix(")") || !node.body.isEmpty { markUnsavable(position) }
        let isLet = node.head.contains("\" let ")
        variables.append(
          Variable(
            name: name, isLet: isLet, line: cells[position].codeLine + range.startLine - blockStarts[position],
            column: range.startColumn))
        blocks[position][blocks[position].count - 1] = .binding(variables)
      default:
        occupied[range.startLine, default: 0] += 1
        if range.endLine != range.startLine { occupied[range.endLine, default: 0] += 1 }
        blocks[position].append(.declaration(first: first, last: last))
        pendingBinding = nil
      }
    }
    // A declaration is copied by whole lines, so it must not share one with another item.
    for (position, items) in blocks.enumerated() {
      for case .declaration(let first, let last) in items {
        let start = blockStarts[position]
        if (occupied[start + first] ?? 0) > 1 || (occupied[start + last] ?? 0) > 1 { markUnsavable(position) }
      }
    }
    return ProgramOutline(blocks: blocks, savableBlocks: unsavable)
  }

  /// `range=[file:L1:C1 - line:L2:C2]`.
  static func range(in head: String) -> (startLine: Int, startColumn: Int, endLine: Int)? {
    guard let open = head.range(of: "range=["), let close = head[open.upperBound...].firstIndex(of: "]") else {
      return nil
    }
    let inside = head[open.upperBound..<close]
    let halves = inside.components(separatedBy: " - line:")
    guard halves.count == 2 else { return nil }
    let startParts = halves[0].split(separator: ":")
    let endParts = halves[1].split(separator: ":")
    guard startParts.count >= 3, let startLine = Int(startParts[startParts.count - 2]),
      let startColumn = Int(startParts[startParts.count - 1]), let endLine = endParts.first.flatMap({ Int($0) })
    else { return nil }
    return (startLine, startColumn, endLine)
  }

  static func quoted(in head: String) -> String? {
    guard let first = head.firstIndex(of: "\"") else { return nil }
    let rest = head[head.index(after: first)...]
    guard let second = rest.firstIndex(of: "\"") else { return nil }
    return String(rest[..<second])
  }
}
