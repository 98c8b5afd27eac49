internal import COpenSSL
import Foundation

/// SHA-256 through OpenSSL's EVP interface: the cache keys, and the hidden answers of exercises.
public final class SHA256Digest {
  private let context: OpaquePointer

  public init() {
    context = EVP_MD_CTX_new()
    EVP_DigestInit_ex(context, EVP_sha256(), nil)
  }

  deinit { EVP_MD_CTX_free(context) }

  public func update(_ data: Data) {
    data.withUnsafeBytes { raw in
      _ = EVP_DigestUpdate(context, raw.baseAddress, raw.count)
    }
  }

  public func update(_ text: String) { update(Data(text.utf8)) }

  public func update(_ bytes: UnsafeRawBufferPointer) {
    _ = EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
  }

  /// The digest as 64 lowercase hexadecimal digits; call it once, after the last update.
  public func hexDigest() -> String {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    EVP_DigestFinal_ex(context, &digest, &length)
    return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
  }
}
