import Foundation

/// What the preview needs of an HTTP request's head (request line and header fields), read
/// within fixed limits in one pass over its bytes.
///
/// An over-long request line is refused with 414 and too many or too long header fields with
/// 431 as soon as the limit is passed, so a 400 KB URL costs as much as reading it once.
struct RequestHead {
  static let maximumRequestLine = 8 * 1024
  static let maximumFieldSection = 32 * 1024
  static let maximumFields = 100

  var method: String
  /// The percent-decoded path, without the query.
  var path: String
  var query: [String: String]

  enum Outcome {
    case request(RequestHead)
    /// The request broke a rule or a limit; the answer is the response.
    case rejected(PreviewResponse)
    /// The client went away, or stopped sending, before the head was complete.
    case incomplete
  }

  /// Reads one head through `receive`, which fills the buffer it is given and returns how many
  /// bytes it wrote (0 at the end of the stream, less on an error or a timeout).
  static func read(_ receive: (UnsafeMutableRawBufferPointer) -> Int) -> Outcome {
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    var lineStart = 0
    var scanned = 0
    var requestLine: ArraySlice<UInt8>?
    var fields = 0
    var fieldBytes = 0
    while true {
      while let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
        var line = buffer[lineStart..<newline]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        lineStart = newline + 1
        scanned = lineStart
        if requestLine == nil {
          // Empty lines before the request line are ignored (RFC 9112, section 2.2), a few of them.
          if line.isEmpty {
            if lineStart > 64 { return .rejected(.text(400, "bad request")) }
            continue
          }
          if line.count > maximumRequestLine { return .rejected(uriTooLong) }
          requestLine = line
        } else if line.isEmpty {
          return parse(requestLine!)
        } else {
          fields += 1
          fieldBytes += line.count + 2
          if fields > maximumFields || fieldBytes > maximumFieldSection { return .rejected(fieldsTooLarge) }
        }
      }
      scanned = buffer.count
      let pending = buffer.count - lineStart
      if requestLine == nil, pending > maximumRequestLine { return .rejected(uriTooLong) }
      if requestLine != nil, fieldBytes + pending > maximumFieldSection { return .rejected(fieldsTooLarge) }
      let count = chunk.withUnsafeMutableBytes(receive)
      guard count > 0 else { return .incomplete }
      buffer.append(contentsOf: chunk[..<count])
    }
  }

  static let uriTooLong = PreviewResponse.text(414, "request line longer than \(maximumRequestLine) bytes")
  static let fieldsTooLarge = PreviewResponse.text(
    431, "more than \(maximumFields) header fields or \(maximumFieldSection) bytes of them")

  /// Method, target and version from `METHOD TARGET HTTP/1.x`.
  static func parse(_ line: ArraySlice<UInt8>) -> Outcome {
    guard let text = String(bytes: line, encoding: .utf8) else { return .rejected(.text(400, "bad request")) }
    let parts = text.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty else { return .rejected(.text(400, "bad request")) }
    guard parts[2].hasPrefix("HTTP/1.") else {
      return .rejected(parts[2].hasPrefix("HTTP/") ? .text(505, "HTTP/1.1 only") : .text(400, "bad request"))
    }
    let method = String(parts[0])
    guard method == "GET" || method == "HEAD" else {
      var response = PreviewResponse.text(405, "the preview answers GET and HEAD only")
      response.headers.append(("Allow", "GET, HEAD"))
      return .rejected(response)
    }
    var target = Substring(parts[1])
    // The absolute form (`http://host/path`) names the same resource as its path.
    if let scheme = target.range(of: "://"), target.hasPrefix("http") {
      let rest = target[scheme.upperBound...]
      target = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
    }
    guard target.hasPrefix("/") else { return .rejected(.text(400, "bad request")) }
    let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    guard let path = pieces[0].removingPercentEncoding else { return .rejected(.text(400, "bad request")) }
    var query: [String: String] = [:]
    if pieces.count > 1 {
      for pair in pieces[1].split(separator: "&") {
        let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = nameAndValue[0].removingPercentEncoding ?? String(nameAndValue[0])
        let value = nameAndValue.count > 1 ? nameAndValue[1].removingPercentEncoding ?? String(nameAndValue[1]) : ""
        query[name] = value
      }
    }
    return .request(RequestHead(method: method, path: path, query: query))
  }
}
