/** What an import of the Python ConnectHub's data did, found and had to interpret. */
import type { LegacyTable } from "./legacy-source.ts";

/** A source row that cannot be imported as it is: skipped (listed), or with --strict, nothing is imported. */
export interface BadRow {
  table: LegacyTable;
  id: string;
  column: string;
  problem: string;
}

export interface LegacyReport {
  source: string;
  zone: string;
  /** `table.column` of timestamps stored without a zone, read as wall-clock time in `zone`. */
  naiveColumns: string[];
  jobs: number;
  logs: number;
  /** Legacy status → how many logs. */
  statuses: Record<string, number>;
  /** RUNNING/QUEUED in the original: imported ABANDONED, unfinished (no finish time). */
  unfinished: number;
  /** Statuses with no counterpart here → how many logs (imported ABANDONED, noted in the message). */
  unmappedStatuses: Record<string, number>;
  triggerDefaulted: number;
  /** Logs whose job is not in the source (the original deleted jobs without their logs). */
  orphanLogs: number[];
  /** Logs not imported because their job was a bad row. */
  logsOfSkippedJobs: number[];
  badRows: BadRow[];
  cronConversions: Array<{ jobId: string; legacy: string; converted: string }>;
  invalidCron: string[];
  enabledNull: string[];
  futureLastRunAt: string[];
  badPublicCfg: string[];
  badSnapshot: number[];
  /** Logs without started_at, by the value they took instead. */
  startedAtFrom: { finishedAt: number[]; lastRunAt: number[]; importTime: number[] };
  /** Logs whose attempt was 0 (the original counted retries from 0) or missing: imported as 1. */
  attemptRaised: number;
  /** Timestamps whose digits below the millisecond were dropped (ConnectHub keeps milliseconds). */
  subMillisecond: number;
  /** Jobs whose secret token the key cannot decrypt (imported only with --allow-undecryptable). */
  undecryptable: string[];
  /** Jobs whose secret token was cut short in the source: no key decrypts it; re-enter the secrets. */
  truncatedSecrets: string[];
  /** Jobs whose secret is not a Fernet token at all. */
  malformedSecrets: string[];
  /** With --renumber-logs: legacy id + offset = new id. */
  renumberOffset: number | null;
  /** Where --key-file's key was installed (null when the key file was kept). */
  keyInstalledAt: string | null;
  keyReplacedKeptAs: string | null;
}

export function emptyReport(source: string, zone: string): LegacyReport {
  return {
    source, zone, naiveColumns: [], jobs: 0, logs: 0, statuses: {}, unfinished: 0, unmappedStatuses: {}, triggerDefaulted: 0,
    orphanLogs: [], logsOfSkippedJobs: [], badRows: [], cronConversions: [], invalidCron: [], enabledNull: [], futureLastRunAt: [],
    badPublicCfg: [], badSnapshot: [], startedAtFrom: { finishedAt: [], lastRunAt: [], importTime: [] }, attemptRaised: 0,
    subMillisecond: 0, undecryptable: [], truncatedSecrets: [], malformedSecrets: [], renumberOffset: null, keyInstalledAt: null,
    keyReplacedKeptAs: null,
  };
}
