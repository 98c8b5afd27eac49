import Foundation

/// An HTTP/1.1 response as the preview sends it: always typed and sized, and the last on its
/// connection (`Connection: close`), so a request is never read after a response.
struct PreviewResponse {
  var status: Int
  var contentType: String
  var body: [UInt8]
  var headers: [(name: String, value: String)] = [("Cache-Control", "no-store")]

  init(status: Int, contentType: String, body: [UInt8]) {
    self.status = status
    self.contentType = contentType
    self.body = body
  }

  /// A short plain-text answer, for errors.
  static func text(_ status: Int, _ message: String) -> PreviewResponse {
    PreviewResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array((message + "\n").utf8))
  }

  static func html(_ status: Int, _ page: String) -> PreviewResponse {
    PreviewResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(page.utf8))
  }

  /// The bytes on the wire; a reply to `HEAD` has the headers only.
  func serialized(withBody: Bool) -> [UInt8] {
    var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
    head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
    return Array(head.utf8) + (withBody ? body : [])
  }

  static func reason(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 400: return "Bad Request"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 408: return "Request Timeout"
    case 414: return "URI Too Long"
    case 431: return "Request Header Fields Too Large"
    case 503: return "Service Unavailable"
    case 505: return "HTTP Version Not Supported"
    default: return "Status \(status)"
    }
  }
}
