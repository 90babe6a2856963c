import { createSubscription } from "@urql/solid";
import { createSignal, type Accessor } from "solid-js";
import type { LogSink } from "../components/log-viewer.tsx";
import { createLogCursor } from "../lib/log-stream.ts";
import { runStreamSubscription } from "../lib/queries/job-logs.ts";

interface Options {
  logId: Accessor<number>;
  /** The run as loaded (its flushed log); null until the first load. */
  loaded: Accessor<{ status: string; runLog: string; runLogBytes: number } | null>;
  onStatus: (status: string) => void;
}

/**
 * Feeds a run's log to the viewer: the flushed text once, then the streamed chunks from its byte
 * offset. Chunks go straight to the viewer's DOM sink; only the status passes through Solid.
 */
export function createRunLogStream(options: Options) {
  let sink: LogSink | null = null;
  const cursor = createLogCursor(0);
  const [fromOffset, setFromOffset] = createSignal<number | null>(null);
  // Decided once from the first load: a finished run has nothing more to stream. A live one is
  // streamed until the server ends the stream (after the final status and the log's last bytes).
  const [streaming, setStreaming] = createSignal(false);

  const start = () => {
    const loaded = options.loaded();
    if (!sink || !loaded || fromOffset() !== null) return;
    sink.reset(loaded.runLog);
    cursor.reset(loaded.runLogBytes);
    setStreaming(loaded.status === "QUEUED" || loaded.status === "RUNNING");
    setFromOffset(loaded.runLogBytes);
  };

  createSubscription(
    {
      query: runStreamSubscription,
      variables: () => ({ logId: options.logId(), fromOffset: fromOffset() ?? 0 }),
      pause: () => fromOffset() === null || !streaming(),
    },
    (_prev, event) => {
      const update = event.jobLogUpdated;
      if (update.text && update.offset !== null && update.offset !== undefined) {
        const verdict = cursor.accept({ offset: update.offset, text: update.text });
        if (verdict.kind === "append") sink?.append(verdict.text);
        // A missed chunk: subscribe again from what is shown; the server replays from there.
        else if (verdict.kind === "gap") setFromOffset(cursor.bytes());
      }
      if (update.status) options.onStatus(update.status);
      return event;
    },
  );

  return {
    /** Hands the viewer's sink over; the stream starts once both the sink and the run are there. */
    attach(next: LogSink) {
      sink = next;
      start();
    },
    /** Call when the run's first load arrives. */
    loaded: start,
    /** Shown bytes: lets the page tell when a refetched (final) log has more than was streamed. */
    bytes: () => cursor.bytes(),
    /** Replaces the shown log with a complete copy (after the run finished). */
    replace(text: string, bytes: number) {
      if (!sink || bytes <= cursor.bytes()) return;
      sink.reset(text);
      cursor.reset(bytes);
    },
  };
}
