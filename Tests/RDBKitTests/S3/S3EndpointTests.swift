import Foundation
import Testing

@testable import RDBKit
@testable import RDBS3

/// Region, endpoint and addressing resolution as the AWS CLI v2 does it, and s3:// parsing.
@Suite struct S3EndpointTests {
  let noProfile = AWSProfile(name: "default", settings: [:])

  @Test func regionPrecedence() throws {
    let profile = AWSProfile(name: "p", settings: ["region": "eu-west-1"])
    let environment = ["AWS_REGION": "ap-east-1", "AWS_DEFAULT_REGION": "me-south-1"]
    #expect(
      try S3Endpoint.resolve(region: "us-west-2", profile: profile, environment: environment).region
        == "us-west-2")
    #expect(
      try S3Endpoint.resolve(profile: profile, environment: environment).region == "ap-east-1")
    #expect(
      try S3Endpoint.resolve(profile: profile, environment: ["AWS_DEFAULT_REGION": "me-south-1"])
        .region == "me-south-1")
    #expect(try S3Endpoint.resolve(profile: profile, environment: [:]).region == "eu-west-1")
    #expect(try S3Endpoint.resolve(profile: noProfile, environment: [:]).region == "us-east-1")
  }

  @Test func endpointPrecedence() throws {
    let profile = AWSProfile(
      name: "p", settings: ["endpoint_url": "http://profile:1"],
      services: ["s3.endpoint_url": "http://services:2"])
    var environment = ["AWS_ENDPOINT_URL_S3": "http://s3env:3", "AWS_ENDPOINT_URL": "http://env:4"]
    #expect(
      try S3Endpoint.resolve(
        endpointURL: "http://flag:5", profile: profile, environment: environment
      ).endpointURL == "http://flag:5")
    #expect(
      try S3Endpoint.resolve(profile: profile, environment: environment).endpointURL
        == "http://s3env:3")
    environment["AWS_ENDPOINT_URL_S3"] = nil
    #expect(
      try S3Endpoint.resolve(profile: profile, environment: environment).endpointURL
        == "http://env:4")
    #expect(
      try S3Endpoint.resolve(profile: profile, environment: [:]).endpointURL == "http://services:2")
    #expect(
      try S3Endpoint.resolve(
        profile: AWSProfile(name: "p", settings: ["endpoint_url": "http://profile:1"]),
        environment: [:]
      ).endpointURL == "http://profile:1")
    environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
    #expect(try S3Endpoint.resolve(profile: profile, environment: environment).endpointURL == nil)
    #expect(throws: S3Error.self) {
      try S3Endpoint.resolve(endpointURL: "ftp://x", profile: profile, environment: [:])
    }
  }

  @Test func addressingStyles() {
    let aws = S3Endpoint(region: "eu-west-1")
    #expect(
      aws.location(bucket: "rdb-exports", key: "a b", query: "", region: "eu-west-1").url
        == "https://rdb-exports.s3.eu-west-1.amazonaws.com/a%20b")
    #expect(
      aws.location(bucket: "Rdb_Upper", key: "k", query: "", region: "eu-west-1").url
        == "https://s3.eu-west-1.amazonaws.com/Rdb_Upper/k")
    #expect(
      aws.location(bucket: "rdb.dotted", key: "k", query: "", region: "eu-west-1").host
        == "s3.eu-west-1.amazonaws.com")
    #expect(
      aws.location(bucket: "b-1", key: nil, query: "acl=", region: "cn-north-1").url
        == "https://b-1.s3.cn-north-1.amazonaws.com.cn/?acl=")
    let custom = S3Endpoint(region: "us-east-1", endpointURL: "http://127.0.0.1:9000/")
    #expect(
      custom.location(bucket: "rdb-exports", key: nil, query: "list-type=2", region: "us-east-1")
        .url
        == "http://127.0.0.1:9000/rdb-exports?list-type=2")
    let virtual = S3Endpoint(
      region: "us-east-1", endpointURL: "http://localhost:9000", addressingStyle: .virtual)
    #expect(
      virtual.location(bucket: "rdb-exports", key: "k", query: "", region: "us-east-1").host
        == "rdb-exports.localhost:9000")
    let profile = AWSProfile(name: "p", settings: ["s3.addressing_style": "path"])
    #expect((try? S3Endpoint.resolve(profile: profile, environment: [:]))?.addressingStyle == .path)
  }

  @Test func s3URLs() throws {
    let url = try S3URL(parsing: "s3://rdb-exports/nightly/cache-0001.rdb")
    #expect(url.bucket == "rdb-exports")
    #expect(url.key == "nightly/cache-0001.rdb")
    #expect(url.description == "s3://rdb-exports/nightly/cache-0001.rdb")
    #expect(try S3URL(parsing: "s3://rdb-exports").key == "")
    #expect(try S3URL(parsing: "s3://Legacy_Bucket/k").hasDNSCompatibleBucket == false)
    for bad in ["http://b/k", "s3://", "s3://ab/k", "s3://bad bucket/k"] {
      #expect(throws: S3Error.self, "\(bad)") { try S3URL(parsing: bad) }
    }
  }

  @Test(arguments: [
    ("rdb-exports", true), ("a.b.c", true), ("abc", true), ("ab", false), ("Rdb", false),
    ("rdb_exports", false), ("-rdb", false), ("rdb-", false), ("a..b", false), ("a.-b", false),
    ("192.168.1.1", false), ("xn--rdb", false), ("rdb-s3alias", false),
    (String(repeating: "a", count: 64), false),
  ])
  func dnsCompatibleBucketNames(_ name: String, _ valid: Bool) {
    #expect(S3URL.isDNSCompatible(bucket: name) == valid)
  }
}
