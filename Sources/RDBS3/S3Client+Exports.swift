import RDBKit

extension S3Client {
  /// The objects an `s3://` argument names, in shard order.
  ///
  /// A key ending in `.rdb` names that one object. Anything else is the prefix of an
  /// ElastiCache export: its shard files `<prefix>-0001.rdb`, `<prefix>-0002.rdb`, … (listed
  /// with ListObjectsV2, every page), ordered by shard number; a prefix ending in `/` names
  /// every `.rdb` object below it, by name.
  ///
  ///     s3://backups/cache-0001.rdb    one object
  ///     s3://backups/cache             cache-0001.rdb, cache-0002.rdb, …
  ///
  /// - Throws: ``S3Error`` with kind ``S3Error/Kind/noSuchKey`` when the prefix has no shard
  ///   files, and the request's own error otherwise.
  public func exportObjects(_ url: S3URL) throws(S3Error) -> [S3ObjectInfo] {
    if url.key.hasSuffix(".rdb") {
      return [try headObject(bucket: url.bucket, key: url.key)]
    }
    let listed = try listObjects(bucket: url.bucket, prefix: url.key)
    let shards: [(number: Int, object: S3ObjectInfo)] = listed.compactMap { object in
      if url.key.hasSuffix("/") || url.key.isEmpty {
        return object.key.hasSuffix(".rdb") ? (0, object) : nil
      }
      guard let number = Self.shardNumber(object.key, prefix: url.key) else { return nil }
      return (number, object)
    }
    guard !shards.isEmpty else {
      throw S3Error(
        .noSuchKey, operation: "ListObjectsV2", bucket: url.bucket, key: url.key,
        message: "no export shard files (\(url.key)-NNNN.rdb) under this prefix")
    }
    return shards.sorted { ($0.number, $0.object.key) < ($1.number, $1.object.key) }.map(\.object)
  }

  /// The shard number of `key` when it is `prefix-<digits>.rdb`, else nil.
  static func shardNumber(_ key: String, prefix: String) -> Int? {
    guard key.hasPrefix(prefix + "-"), key.hasSuffix(".rdb") else { return nil }
    let digits = key.dropFirst(prefix.count + 1).dropLast(4)
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
      return nil
    }
    return Int(digits)
  }
}
