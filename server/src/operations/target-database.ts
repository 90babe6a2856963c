/** Creates the server-mode database when DATABASE_URL names one that does not exist yet. */
import pg from "pg";
import { TargetDatabaseMissingError } from "./operation-errors.ts";

const UNDEFINED_DATABASE = "3D000";
const DUPLICATE_DATABASE = "42P04";

/** Returns true when it created the database. */
export async function ensureDatabaseExists(url: string): Promise<boolean> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== UNDEFINED_DATABASE) throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  parsed.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: parsed.toString() });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === DUPLICATE_DATABASE) return false; // created meanwhile
    throw new TargetDatabaseMissingError(name, (error as Error).message);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
