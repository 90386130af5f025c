import FuzzDriver

runFuzzer { data, size in unsafe fuzzWriters(data, size) }
