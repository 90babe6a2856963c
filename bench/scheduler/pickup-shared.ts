/** The raw Agenda job of the pickup benchmark, and its poll: the same 1 s ConnectHub's workers poll at. */
export const RAW_PICKUP_JOB = "bench.raw_pickup";
export const RAW_POLL_MS = 1000;
