/**
 * Node/V8 flags of the service process (`npm start`, and the benchmark and load scripts that start
 * it as a child). V8 reads them at start-up only, so they are command-line flags, not code.
 *
 * `--max-semi-space-size=64`: a young generation of 64 MB semi-spaces instead of 16. A GraphQL
 * answer of a few thousand concepts or a ranking of 800 candidates allocates tens of MB of
 * short-lived objects; with the default, each request paid several scavenges (≈ 14 ms of GC per
 * 100-occupation read in a CPU profile). Measured: read-path benchmark p50 165 → 120 ms in two
 * consecutive runs at load ≈ 3; quiet curl A/B on the same read, 2–16 ms lower p50 over three pairs.
 * It raises resident memory (the young generation may grow to 3 × 64 MB); the API's peak under the
 * 32-client benchmark stayed under 1.25 GB.
 *
 * package.json's `start` script repeats these flags (a unit test keeps the two equal).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
