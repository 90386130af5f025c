internal import COpenSSL
import Foundation
import RDBKit

/// SHA-256 and HMAC-SHA256 on OpenSSL's libcrypto, the two primitives SigV4 needs; SHA-1,
/// which names the AWS CLI's SSO token cache files; and MD5 for the `Content-MD5` that S3
/// checks on every uploaded part.
enum Digest {
  /// The SHA-256 of `bytes`. The corresponding C function is `SHA256`.
  static func sha256(_ bytes: [UInt8]) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    unsafe bytes.withUnsafeBufferPointer { input in
      unsafe output.withUnsafeMutableBufferPointer { out in
        // SHA256 reads `count` bytes from `input` and writes 32 bytes to `out`; both buffers
        // live for the whole call.
        _ = unsafe SHA256(input.baseAddress, input.count, out.baseAddress)
      }
    }
    return output
  }

  /// The SHA-1 of `bytes`. The corresponding C function is `SHA1`.
  static func sha1(_ bytes: [UInt8]) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
    unsafe bytes.withUnsafeBufferPointer { input in
      unsafe output.withUnsafeMutableBufferPointer { out in
        // SHA1 reads `count` bytes from `input` and writes 20 bytes to `out`; both buffers
        // live for the whole call.
        _ = unsafe SHA1(input.baseAddress, input.count, out.baseAddress)
      }
    }
    return output
  }

  /// The HMAC-SHA256 of `message` under `key`. The corresponding C function is `HMAC`.
  static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    unsafe key.withUnsafeBufferPointer { keyBuffer in
      unsafe message.withUnsafeBufferPointer { messageBuffer in
        unsafe output.withUnsafeMutableBufferPointer { out in
          // HMAC writes at most EVP_MAX_MD_SIZE bytes and reports the count in `length`.
          _ = unsafe HMAC(
            EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
            messageBuffer.baseAddress, messageBuffer.count, out.baseAddress, &length)
        }
      }
    }
    return Array(output.prefix(Int(length)))
  }

  /// The MD5 of `bytes`, base64-encoded as the `Content-MD5` header carries it. The
  /// corresponding C function is `EVP_Digest`.
  static func md5Base64(_ bytes: [UInt8]) -> String {
    var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    unsafe bytes.withUnsafeBytes { input in
      unsafe output.withUnsafeMutableBufferPointer { out in
        // EVP_Digest reads `count` bytes and writes at most EVP_MAX_MD_SIZE into `out`.
        _ = unsafe EVP_Digest(
          input.baseAddress, input.count, out.baseAddress, &length, EVP_md5(), nil)
      }
    }
    return Data(output.prefix(Int(length))).base64EncodedString()
  }

  /// Lower-case hexadecimal of `bytes`.
  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8]()
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// Lower-case hex SHA-256 of `bytes`, as SigV4 writes payload and request hashes.
  static func sha256Hex(_ bytes: [UInt8]) -> String { hex(sha256(bytes)) }
}
