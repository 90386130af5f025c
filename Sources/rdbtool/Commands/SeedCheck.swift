import ArgumentParser
import Foundation
import RDBKit
import RDBS3
import SystemPackage

extension RDBTool {
  struct SeedCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "seed-check",
      abstract: "Check that a backup will seed a new cluster (ElastiCache or any other).",
      discussion: """
        Reads every INPUT once (in parallel) and checks each rule a seed must pass, printing \
        one line per finding (pass, warn or fail) with the rdbtool or aws command that fixes a \
        failure, then a summary. The rules:

        engine: the target loads the files' RDB version and every type in them; else the \
        `rewrite --target` command and what that rewrite would leave out.

        cluster: with cluster mode enabled, keys in database 0 only; files that are an \
        existing cluster's export (as many as shards) hold each the keys of its shard's \
        slots, dealt as `redis-cli --cluster create` deals them; no key in two files. With \
        cluster mode disabled, one file (else the `merge` command).

        memory: each resulting shard's memory, estimated as `rdbtool memory` does with the \
        target's memory model (per file, or per shard of the split --shards asks for), \
        against the --node-type's memory less ElastiCache's default 25 % \
        reserved-memory-percent, or --max-memory.

        functions-modules: functions and module values the target cannot load (vector sets \
        need Redis 8.0; other module types need their module: a warning).

        s3: for s3:// inputs, that ElastiCache can read them: every object exists (an \
        export prefix has every shard file from 0001 on) and is not empty, with the sizes \
        reported; the bucket grants what `rdbtool s3 check-bucket` checks, for reading (ACL: \
        READ and READ_ACP for the ElastiCache canonical user; opt-in regions: a bucket policy \
        for REGION.elasticache-snapshot.amazonaws.com); each object's ACL grants that \
        canonical user READ (opt-in regions: the policy allows s3:GetObject on it); the \
        bucket is in --target-region when given. Each failure comes with the `aws s3api`, \
        `aws s3` or `rdbtool s3` command that fixes it. Reading ACLs and policies needs \
        s3:GetBucketLocation, s3:GetBucketAcl, s3:GetBucketPolicy and s3:GetObjectAcl.

        Exit status: 0 when the seed would load (warnings allowed), 1 when it would not, \
        2 for usage errors.

        Examples:
          rdbtool seed-check --target elasticache-valkey-8.0 dump.rdb
          rdbtool seed-check --target elasticache-valkey-8.1 --shards 3 s3://b/export
          rdbtool seed-check --target valkey-8.1 --node-type cache.r7g.large dump.rdb
          rdbtool seed-check --target redis-7.2 --shards 5 --max-memory 4GiB dump.rdb
          rdbtool seed-check --target redis-7.0 --target-region eu-west-1 s3://b/x.rdb
        """)

    @Argument(help: "RDB files, '-' for standard input, or s3:// URLs and export prefixes.")
    var inputs: [String] = []

    @Option(
      help: ArgumentHelp(
        "The engine to seed, such as elasticache-valkey-8.0 (rdbtool rewrite --list-targets).",
        valueName: "ENGINE-VERSION"))
    var target: String?

    @Option(
      help:
        "Whether the new cluster runs in cluster mode (default: enabled with --shards, else disabled)."
    )
    var clusterMode: RDBKit.SeedCheck.ClusterMode?

    @Option(help: ArgumentHelp("The shards of the new cluster (cluster mode).", valueName: "N"))
    var shards: Int?

    @Option(help: ArgumentHelp("The ElastiCache node type, such as cache.r7g.large."))
    var nodeType: String?

    @Option(
      help: ArgumentHelp(
        "The memory a shard may use, such as 4GiB, 512MiB or 6.5GB.", valueName: "SIZE"),
      transform: ByteSize.parse)
    var maxMemory: Int?

    @Option(
      help: ArgumentHelp(
        "The region the cluster will be in; s3:// inputs must be in a bucket there.",
        valueName: "REGION"))
    var targetRegion: String?

    @Flag(help: "Write one JSON object instead of text.")
    var json = false

    @OptionGroup var options: InputOptions

    @OptionGroup var destination: OutputOptions

    func validate() throws {
      guard !inputs.isEmpty else { throw ValidationError("Missing an INPUT.") }
      guard let target else { throw ValidationError("Missing --target ENGINE-VERSION.") }
      guard TargetEngine.named(target) != nil else {
        throw ValidationError(
          "unknown --target '\(target)'; known: "
            + TargetEngine.all.map(\.name).joined(separator: ", ") + ".")
      }
      if let shards {
        guard (1...HashSlot.count).contains(shards) else {
          throw ValidationError("--shards takes 1-\(HashSlot.count), not \(shards).")
        }
        guard clusterMode != .disabled else {
          throw ValidationError("--shards needs cluster mode enabled.")
        }
      }
      if nodeType != nil, maxMemory != nil {
        throw ValidationError("--node-type and --max-memory are alternatives: give one.")
      }
      if let nodeType, NodeType.named(nodeType) == nil {
        throw ValidationError(
          "unknown --node-type '\(nodeType)'; known: "
            + NodeType.elastiCache.map(\.name).joined(separator: ", ")
            + " (--max-memory SIZE for others).")
      }
      if let maxMemory, maxMemory <= 0 {
        throw ValidationError("--max-memory must be more than 0.")
      }
    }

    func run() throws {
      guard let engine = target.flatMap(TargetEngine.named) else { return }
      let resolved = try SeedCheckInputs.resolve(inputs, s3: options.s3)
      let (sources, client) = (resolved.sources, resolved.client)
      var limit: RDBKit.SeedCheck.MemoryLimit?
      if let node = nodeType.flatMap(NodeType.named) { limit = .nodeType(node) }
      if let maxMemory { limit = .bytes(maxMemory) }
      let check = RDBKit.SeedCheck(
        target: engine, clusterMode: clusterMode ?? (shards == nil ? .disabled : .enabled),
        shards: shards, memoryLimit: limit, inputs: inputs, fileNames: sources.map(\.name))
      let options = self.options
      let quiet = options.quiet || json
      let scans = ShardRunner.mapReportingFailures(sources) { source in
        let index = sources.firstIndex { $0.name == source.name } ?? 0
        let devNull = try FileDescriptor.open("/dev/null", .writeOnly)
        defer { try? devNull.close() }
        var scan = SeedScan(
          target: engine, output: OutputBuffer(descriptor: devNull),
          tally: SeedTally(
            ranges: check.tallyRanges, expectedShard: check.expectedShard(ofFile: index),
            keepsKeyNames: check.keepsKeyNames))
        try source.parse(into: &scan, client: client, options: options.s3, quiet: quiet)
        return scan.summary
      }
      guard scans.count == sources.count else { throw ExitCode.failure }
      let s3Findings =
        client.map {
          SeedObjectCheck(client: $0).findings(for: resolved.s3, targetRegion: targetRegion)
        } ?? []
      let findings = (sources.isEmpty ? [] : check.findings(for: scans)) + s3Findings
      let report = SeedCheckReport(check: check, scans: scans, findings: findings)
      try destination.write(
        text: json ? try report.jsonText() + "\n" : report.text(), s3: options.s3)
      if !report.passed { throw ExitCode.failure }
    }
  }
}

extension RDBKit.SeedCheck.ClusterMode: ArgumentChoice {}
