internal import CCmark

/// Parsing with libcmark, for the two passes that read its tree (`VerbatimBlocks`,
/// `CmarkConverter`); the caller frees the document with `cmark_node_free`.
enum Cmark {
  static func parse(_ text: String, options: Int32) -> OpaquePointer? {
    var utf8 = Array(text.utf8)
    utf8.append(0)  // a valid pointer even for empty text
    return utf8.withUnsafeBufferPointer { buffer in
      buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
        cmark_parse_document($0, buffer.count - 1, options)
      }
    }
  }
}
