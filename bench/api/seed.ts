import pg from "pg";

export const SEED_HANDLER = "test_jobs.scheduler-noop:SchedulerNoopJob";
const LOG_LINE = "2026-11-23T10:00:00.000+08:00 INFO  synced 100 records from the OA system to Didi\n";
export const jobIdOf = (n: number) => `bench.job_${String(n).padStart(4, "0")}`;

/**
 * Fills a migrated database with `jobs` job definitions and `logs` finished runs spread over the
 * last 30 days (ids ascending with created_at, round-robin over the jobs; every 20th run FAILURE,
 * every 101st CANCELLED, the rest SUCCESS), with set-based INSERT … SELECT statements through `pg`
 * in batches of 50,000 rows, then VACUUM ANALYZE so the planner and index-only scans see the data
 * as a long-running database would.
 */
export async function seedJobsAndLogs(databaseUrl: string, jobs: number, logs: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO jobs (id, description, enabled, cron_expr, handler_path, public_cfg, created_at, updated_at)
       SELECT 'bench.job_' || lpad(g::text, 4, '0'), 'Benchmark job ' || g, g % 10 <> 0,
              (g % 60) || ' * * * *', $1, '{"batch": 100}'::jsonb, now() - interval '60 days', now() - interval '60 days'
       FROM generate_series(0, $2::int - 1) g`,
      [SEED_HANDLER, jobs],
    );
    const batch = 50_000;
    for (let from = 1; from <= logs; from += batch) {
      const to = Math.min(logs, from + batch - 1);
      await client.query(
        `INSERT INTO job_logs (job_id, status, trigger, snapshot_params, message, run_log, run_log_bytes, attempt,
                               scheduled_at, started_at, finished_at, worker_id, created_at)
         SELECT 'bench.job_' || lpad((g % $3::int)::text, 4, '0'),
                (CASE WHEN g % 20 = 0 THEN 'FAILURE' WHEN g % 101 = 0 THEN 'CANCELLED' ELSE 'SUCCESS' END)::"JobStatus",
                'CRON'::"RunTrigger",
                jsonb_build_object('handler_path', $4::text, 'public_cfg', jsonb_build_object('batch', 100), 'meta', jsonb_build_object('trigger', 'CRON')),
                CASE WHEN g % 20 = 0 THEN 'Run ended FAILURE: upstream returned 502' ELSE 'Run ended SUCCESS in 42 ms' END,
                repeat($6::text, 4), 4 * octet_length($6::text), 1, ts, ts + interval '5 ms', ts + interval '47 ms', 'bench-worker', ts
         FROM generate_series($1::int, $2::int) g,
              LATERAL (SELECT now() - interval '30 days' + g * (interval '30 days' / $5::int) AS ts) t`,
        [from, to, jobs, SEED_HANDLER, logs, LOG_LINE],
      );
    }
    await client.query("VACUUM ANALYZE jobs");
    await client.query("VACUUM ANALYZE job_logs");
  } finally {
    await client.end();
  }
}
