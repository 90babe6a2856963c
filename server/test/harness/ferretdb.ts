import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BUILD_SCRIPT = fileURLToPath(new URL("../../../scripts/build-ferretdb.sh", import.meta.url));

export interface FerretDb {
  /** Base URL without a database name; append `/<db>`. */
  url: string;
  stop(): Promise<void>;
}

/** The FerretDB binary: FERRETDB_BIN, or built (once, cached outside the repo) by scripts/build-ferretdb.sh. */
function ferretDbBinary(): string {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FERRETDB_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  try {
    return execFileSync("bash", [BUILD_SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  } catch (error) {
    throw new Error(
      `FerretDB (the MongoDB wire server the tests use) is missing and could not be built with ${BUILD_SCRIPT}: ` +
        `${(error as Error).message}. Install Go, or set FERRETDB_BIN.`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`FerretDB did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Starts FerretDB on a free loopback port with its SQLite handler in a temp dir. */
export async function startFerretDb(): Promise<FerretDb> {
  const bin = ferretDbBinary();
  const dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-ferretdb-"));
  const port = await freePort();
  // Its metrics/pprof listener defaults to a fixed port, which a second instance would find taken.
  const debugPort = await freePort();
  const child = spawn(
    bin,
    [
      `--listen-addr=127.0.0.1:${port}`,
      "--handler=sqlite",
      `--sqlite-url=file:${dir}/`,
      "--telemetry=disable",
      "--log-level=error",
      `--state-dir=${dir}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  try {
    await waitForPort(port, child, 20_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${stderr.slice(-2000)}`);
  }
  return {
    url: `mongodb://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
