import Foundation

/// A numeric table: column names and an n×p matrix of values.
public struct CSVTable: Sendable, Codable {
  /// The header fields.
  public var header: [String]
  /// The values, one row per record.
  public var matrix: Matrix

  /// The column called `name`.
  public func column(_ name: String) -> Vector? {
    header.firstIndex(of: name).map { matrix.column($0) }
  }
}

/// A minimal reader for comma-separated numeric tables with one header line
/// (fields may be double-quoted; blank lines are skipped).
public enum CSV {
  /// Reads `path`.
  /// - Throws: ``DatasetError`` naming the path, line and column of a non-numeric or missing field.
  public static func read(_ path: String) throws -> CSVTable {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DatasetError.missingFile(path: path, hint: "")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw DatasetError.malformed(path: path, reason: "not UTF-8 text")
    }
    return try parse(text, path: path)
  }

  /// Parses CSV text (see ``read(_:)``); `path` is only used in error messages.
  public static func parse(_ text: String, path: String = "<text>") throws -> CSVTable {
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
      .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) }
    while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
    guard let headerLine = lines.first else { throw DatasetError.malformed(path: path, reason: "empty file") }
    let header = fields(headerLine)
    var values: [Double] = []
    var rows = 0
    for (k, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let f = fields(line)
      guard f.count == header.count else {
        throw DatasetError.malformed(
          path: path, reason: "line \(k + 1) has \(f.count) fields, the header has \(header.count)")
      }
      for (j, s) in f.enumerated() {
        guard let v = Double(s.trimmingCharacters(in: .whitespaces)) else {
          throw DatasetError.malformed(
            path: path, reason: "line \(k + 1), column \(header[j]): \"\(s)\" is not a number")
        }
        values.append(v)
      }
      rows += 1
    }
    return CSVTable(header: header, matrix: Matrix(rows: rows, cols: header.count, scalars: values))
  }

  static func fields(_ line: String) -> [String] {
    var out: [String] = [], cur = "", quoted = false
    var it = Array(line)[...]
    while let c = it.popFirst() {
      if quoted {
        if c == "\"" {
          if it.first == "\"" { cur.append("\""); it.removeFirst() } else { quoted = false }
        } else {
          cur.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        out.append(cur); cur = ""
      } else {
        cur.append(c)
      }
    }
    out.append(cur)
    return out
  }
}
