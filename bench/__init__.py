"""Benchmarks: search quality (bench.quality) and speed (bench.speed)."""
