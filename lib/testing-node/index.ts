// wakeful/testing-node: the Node-only part of wakeful/testing — exploration spread over worker
// threads. Kept apart so wakeful/testing itself stays browser-safe.

/**
 * Parallel exploration on Node: a portfolio of explorations on worker threads, with a
 * deterministic report.
 * @module wakeful/testing-node
 */

export { exploreParallel, splitRuns } from "./explore-parallel";
export type { ParallelExploreOptions, ParallelExploreResult } from "./explore-parallel";
export type { EntrySummary } from "./explore-job";
