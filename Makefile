# rdbtool / RDBKit — the two commands a newcomer needs: `make demo` and `make test`.
SWIFT ?= swift
APT_PACKAGES := liblzf-dev libcurl4-openssl-dev libssl-dev zlib1g-dev libzstd-dev pkg-config redis-server redis-tools gzip zstd chromium
PIP_PACKAGES := duckdb 'moto[server]' awscli
COMPARE_PIP_PACKAGES := rdbtools python-lzf
SAMPLE := testdata/fixtures/redis-7.4.1/default.rdb
RELEASE_BIN := .build/release/rdbtool

.PHONY: setup build demo test lint bench compare fuzz clean

## setup: install the system and Python packages the build and the tests need, then put the
## Redis and Valkey servers the tests start into a cache folder (both idempotent).
setup:
	@bash scripts/setup.sh $(APT_PACKAGES) -- $(PIP_PACKAGES)
	@bash scripts/setup-servers.sh

## build: build rdbtool in release mode, the Swift runtime and Foundation linked in
## (--static-swift-stdlib): start-up then binds fewer symbols; `verify` of a small file runs
## 30 % fewer instructions.
build: setup
	$(SWIFT) build -c release --product rdbtool --static-swift-stdlib

## demo: build, then show `info` and `verify` on a bundled sample file.
demo: build
	$(RELEASE_BIN) info $(SAMPLE)
	$(RELEASE_BIN) verify $(SAMPLE) testdata/fixtures/redis-7.0.15/default.rdb

## test: the whole test suite (unit, fixtures, real redis-server round trips, CLI). A run
## still going after TEST_MINUTES (default 30) is hung: scripts/test.sh prints its processes
## and stacks, ends it and fails.
test: setup
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) bash scripts/test.sh

## bench: build the Benchmarks/ package (its own package: ordo-one/benchmark; the first build
## takes a few minutes) and run its suites on generated inputs (cached in $TMPDIR), compared
## with the stored baseline Benchmarks/.benchmarkBaselines/*/default when there is one.
## Store a new baseline: cd Benchmarks && swift package --allow-writing-to-package-directory
## benchmark baseline update default
bench: setup
	cd Benchmarks && if [ -d .benchmarkBaselines/RDBParsing/default ]; then \
	  $(SWIFT) package --allow-writing-to-package-directory benchmark baseline compare default --no-progress; \
	else \
	  $(SWIFT) package --allow-writing-to-package-directory benchmark --no-progress; \
	fi

## fuzz: build the libFuzzer targets in Fuzz/ (their own package, with the address sanitizer)
## and run each for FUZZ_SECONDS (default 20) on its committed corpus in Fuzz/corpus/: the
## parser, on a buffer in memory and through reads of varying sizes, must never crash, hang or
## run away with memory, and both paths must fail at the same byte; every output writer must
## take whatever parses; whatever parses, rewritten for five targets, must parse again with
## the keys written (and the same values when no loss is declared); the inner decoders alone,
## fed by a structure-aware mutator, must agree with the writer's encoders and the parser. A
## failing input is left in Fuzz/crashes/. FUZZ_SEED fixes libFuzzer's seed (CI uses 1).
## -enable-testing lets FuzzDecoders reach RDBKit's internal decoders and encoders.
FUZZ_SECONDS ?= 20
FUZZ_SEED ?=
fuzz: setup
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
	  -Xswiftc -enable-testing
	bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_SEED)

## compare: install rdbtools (pip) if missing, write the benchmark RDB files (skipped when
## present for the seed), then time rdbtool against cat, redis-check-rdb and rdbtools on them,
## and `rdbtool rewrite` (same version, and to RDB 9) against `dump --format resp |
## redis-cli --pipe` + SAVE into a real server (the ones `make setup` caches); prints two
## Markdown tables. COMPARE_ARGS passes options to scripts/compare.sh, for example
## COMPARE_ARGS='--rewrite-only --rewrite-runs 5'.
COMPARE_ARGS ?=
compare: build
	@bash scripts/setup.sh -- $(COMPARE_PIP_PACKAGES) || \
	  echo "compare: rdbtools could not be installed; its rows will say so" >&2
	python3 scripts/generate-bench-data.py bench-data
	bash scripts/compare.sh $(COMPARE_ARGS) bench-data

## lint: the house formatting rules (swift format, .swift-format at the root).
lint:
	$(SWIFT) format lint --strict -r Sources Tests Fuzz/Sources

clean:
	rm -rf .build
