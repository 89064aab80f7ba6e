/**
 * Test support for the benchmark harness: Netty leak detection at PARANOID for every test class.
 */
package dev.firemesh.bench.testing;
