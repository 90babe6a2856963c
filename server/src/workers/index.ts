// Worker presence: which worker processes are alive (worker_presence; this folder is its only writer).
export { createPresence, type Presence, type PresenceOptions } from "./presence.ts";
export { aliveWorkers, STALE_AFTER_BEATS, type WorkerPresence } from "./presence-store.ts";
