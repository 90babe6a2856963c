/** `all` runs everything in one process (the default of `npm start`); `api` and `worker` scale apart. */
export type ProcessRole = "all" | "api" | "worker";
export const PROCESS_ROLES: readonly ProcessRole[] = ["all", "api", "worker"];
