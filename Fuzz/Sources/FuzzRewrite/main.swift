import FuzzDriver

runFuzzer { data, size in unsafe fuzzRewrite(data, size) }
