import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { createPgPool } from "./pg-pool.ts";

export type Prisma = PrismaClient;

/** Prisma on a pool of our own, whose broken idle connections are logged, not fatal (see pg-pool.ts). */
export function createPrisma(databaseUrl: string, poolSize = 10): PrismaClient {
  const pool = createPgPool(databaseUrl, "prisma", { max: poolSize });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
