// Child process of the pickup benchmark (pickup-bench.ts): raw Agenda 6 as a worker on the same
// store ConnectHub uses, a no-op handler printing when it started. Argument: postgres|mongodb, URL.
// Agenda's own defaults for cross-process wake-ups: the PostgreSQL backend's LISTEN/NOTIFY channel;
// the MongoDB backend has none that FerretDB can serve (change streams), so it polls.
import { Agenda } from "agenda";
import { RAW_PICKUP_JOB, RAW_POLL_MS } from "./pickup-shared.ts";

const [backendName, url] = process.argv.slice(2);
const backend =
  backendName === "mongodb"
    ? new (await import("@agendajs/mongo-backend")).MongoBackend({ address: url!, collection: "agendaJobs" })
    : new (await import("@agendajs/postgres-backend")).PostgresBackend({ connectionString: url!, tableName: "agenda_jobs", ensureSchema: false });
const agenda = new Agenda({ backend, name: "raw-pickup-worker", processEvery: RAW_POLL_MS, maxConcurrency: 10, defaultConcurrency: 10 });
agenda.on("error", (err) => console.error("raw agenda error", err));
agenda.define<{ i: number }>(RAW_PICKUP_JOB, async (job) => void console.log(`started ${job.attrs.data.i} ${Date.now()}`), { concurrency: 10, removeOnComplete: true });
await agenda.start();
console.log("ready");
process.on("SIGTERM", () => void agenda.stop().finally(() => process.exit(0)));
