import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

const SUBSCRIPTION = `subscription($jobId: String) { jobLogUpdated(jobId: $jobId) { kind logId status text } }`;
const TICK = /bench-tick (\d+) (\d+)/g;
const TERMINAL = new Set(["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"]);

function describeError(err: unknown): Error {
  if (err instanceof Error) return err;
  const e = err as { code?: number; reason?: string; type?: string; message?: string };
  return new Error(`WebSocket ${e?.type ?? "error"}: code ${e?.code ?? "?"} ${e?.reason ?? e?.message ?? JSON.stringify(err)}`);
}

interface Event { kind: "STATUS" | "OUTPUT"; logId: number; status: string | null; text: string | null }

interface RunSeen {
  /** Sequence numbers of the bench-tick lines received (a repeat counts as a duplicate). */
  seqs: Set<number>;
  duplicates: number;
  /** Receive time − write time per line, ms (same machine clock). */
  latencies: number[];
  finalStatus: string | null;
  done: Promise<void>;
  finish: () => void;
}

/**
 * One graphql-ws connection (its own socket) subscribed to one job's run events, timing every
 * `bench-tick <seq> <writtenAtMs>` line on arrival.
 */
export class TickSubscriber {
  private readonly client: Client;
  private readonly runs = new Map<number, RunSeen>();
  private failure: Error | null = null;
  private dispose: (() => void) | null = null;

  constructor(wsUrl: string, token: string) {
    this.client = createClient({ url: wsUrl, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` }, webSocketImpl: WebSocket });
  }

  subscribe(jobId: string): void {
    this.dispose = this.client.subscribe<{ jobLogUpdated: Event }>(
      { query: SUBSCRIPTION, variables: { jobId } },
      {
        next: (msg) => {
          const now = Date.now();
          if (msg.errors) return this.fail(new Error(JSON.stringify(msg.errors)));
          const e = msg.data!.jobLogUpdated;
          const run = this.run(e.logId);
          if (e.kind === "OUTPUT" && e.text) {
            for (const m of e.text.matchAll(TICK)) {
              const seq = Number(m[1]);
              if (run.seqs.has(seq)) run.duplicates++;
              run.seqs.add(seq);
              run.latencies.push(now - Number(m[2]));
            }
          } else if (e.kind === "STATUS" && e.status && TERMINAL.has(e.status)) {
            run.finalStatus = e.status;
            run.finish();
          }
        },
        error: (err) => this.fail(describeError(err)),
        complete: () => this.fail(new Error("subscription completed unexpectedly")),
      },
    );
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const run of this.runs.values()) run.finish();
  }

  run(logId: number): RunSeen {
    let run = this.runs.get(logId);
    if (!run) {
      let finish!: () => void;
      const done = new Promise<void>((r) => (finish = r));
      run = { seqs: new Set(), duplicates: 0, latencies: [], finalStatus: null, done, finish };
      this.runs.set(logId, run);
    }
    return run;
  }

  async finished(logId: number): Promise<RunSeen> {
    const run = this.run(logId);
    if (this.failure) throw this.failure;
    await run.done;
    if (this.failure) throw this.failure;
    return run;
  }

  async close(): Promise<void> {
    this.dispose?.();
    await this.client.dispose();
  }
}
