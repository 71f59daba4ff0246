"""Shared test helpers (loopback servers) for the test suites and benchmarks."""
