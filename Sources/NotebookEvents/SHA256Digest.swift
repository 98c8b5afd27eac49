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

  /// The digest as 64 lowercase hexadecimal digits; call it once, after the last update.
  public func hexDigest() -> String {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    EVP_DigestFinal_ex(context, &digest, &length)
    return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
  }
}

/// The digest that stands for an exercise's answer, so the student edition can grade without
/// showing it: SHA-256 of `ID|value` with the value rounded to `digits` significant digits
/// (`%.{digits-1}e`), so any answer that agrees to those digits has the same digest.
public func answerDigest(exercise: String, value: Double, digits: Int) -> String {
  let hasher = SHA256Digest()
  hasher.update("\(exercise)|\(roundedAnswer(value, digits: digits))")
  return hasher.hexDigest()
}

/// The answer as it is hashed: `digits` significant digits in scientific notation.
public func roundedAnswer(_ value: Double, digits: Int) -> String {
  let text = String(format: "%.\(max(1, digits) - 1)e", value)
  return text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
}
