import FuzzDriver

runFuzzer { data, size in unsafe fuzzParser(data, size) }
