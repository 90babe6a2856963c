import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import internals from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

const SCHEMA = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));

// Prisma scalar (+ native type) → information_schema data_type / udt_name.
function expectedType(field: { kind: string; type: string; isList?: boolean; nativeType?: unknown }): string {
  if (field.kind === "enum") return `USER-DEFINED:${field.type}`;
  if (field.isList) return `ARRAY:${({ String: "_text", Int: "_int4" } as Record<string, string>)[field.type]}`;
  const native = (field.nativeType as [string, string[]] | null | undefined)?.[0];
  if (field.type === "DateTime") return native === "Timestamptz" ? "timestamp with time zone" : "timestamp without time zone";
  return (
    { String: "text", Int: "integer", Boolean: "boolean", Json: "jsonb", BigInt: "bigint", Float: "double precision" } as Record<string, string>
  )[field.type]!;
}

describe("the migrated database matches prisma/schema.prisma", () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let client: pg.Client;
  let dmmf: Awaited<ReturnType<typeof internals.getDMMF>>;

  beforeAll(async () => {
    db = await createScratchDatabase();
    await migrate(db.url);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    dmmf = await internals.getDMMF({ datamodel: readFileSync(SCHEMA, "utf8") });
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it("has every model's table with exactly its columns, types and nullability", async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'`,
    );
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const actual = rows.filter((r) => r.table_name === table);
      const scalarFields = model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
      expect(actual.map((r) => r.column_name).sort(), `columns of ${table}`).toEqual(scalarFields.map((f) => f.dbName ?? f.name).sort());
      for (const field of scalarFields) {
        const column = actual.find((r) => r.column_name === (field.dbName ?? field.name))!;
        const type = column.data_type === "USER-DEFINED" || column.data_type === "ARRAY" ? `${column.data_type}:${column.udt_name}` : column.data_type;
        expect(type, `${table}.${column.column_name} type`).toBe(expectedType(field));
        expect(column.is_nullable === "NO", `${table}.${column.column_name} NOT NULL`).toBe(field.isRequired);
      }
    }
  });

  it("has every enum with exactly its values", async () => {
    const { rows } = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname::text AS typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
    expect(actual).toEqual(expected);
  });

  it("has every declared index, unique constraint and primary key on the right columns", async () => {
    const { rows: all } = await client.query<{ table: string; unique: boolean; primary: boolean; partial: boolean; name: string; columns: string[] }>(
      `SELECT c.relname AS table, i.indisunique AS unique, i.indisprimary AS primary, i.indpred IS NOT NULL AS partial, ic.relname AS name,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       WHERE c.relname NOT LIKE '\\_%' AND c.relname NOT LIKE 'agenda\\_%' -- Agenda's queue tables are not Prisma models
       GROUP BY c.relname, ic.relname, i.indexrelid, i.indisunique, i.indisprimary, i.indpred`,
    );
    // Partial indexes cannot be declared in the Prisma schema: they live in migrations only, each
    // named here (with the migration that says why), so an unknown one still fails.
    expect(all.filter((r) => r.partial).map((r) => `${r.table}.${r.name}`)).toEqual(["job_logs.job_logs_waiting_id_idx"]);
    const rows = all.filter((r) => !r.partial);
    const key = (table: string, kind: string, cols: string[]) => `${table}|${kind}|${cols.join(",")}`;
    const actual = rows.map((r) => key(r.table, r.primary ? "id" : r.unique ? "unique" : "normal", r.columns)).sort();
    const modelTable = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
    const expected = dmmf.datamodel.indexes
      .map((ix) => {
        const model = modelTable.get(ix.model)!;
        const cols = ix.fields.map((f) => model.fields.find((mf) => mf.name === f.name)!.dbName ?? f.name);
        return key(model.dbName ?? model.name, ix.type === "fulltext" ? "normal" : ix.type, cols);
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has a foreign key for every relation with the schema's delete rule", async () => {
    const { rows } = await client.query<{ table: string; column: string; ref: string; on_delete: string }>(
      `SELECT tc.table_name AS table, kcu.column_name AS column, ccu.table_name AS ref, rc.delete_rule AS on_delete
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
       JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
       JOIN information_schema.referential_constraints rc ON rc.constraint_name = tc.constraint_name
       WHERE tc.constraint_type = 'FOREIGN KEY'`,
    );
    const actual = rows.map((r) => `${r.table}.${r.column}->${r.ref} ${r.on_delete}`).sort();
    const tableOf = new Map(dmmf.datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
    const rule = { Cascade: "CASCADE", SetNull: "SET NULL", Restrict: "RESTRICT", NoAction: "NO ACTION" } as Record<string, string>;
    const expected = dmmf.datamodel.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
          .map((f) => {
            const col = m.fields.find((x) => x.name === f.relationFromFields![0])!;
            return `${tableOf.get(m.name)}.${col.dbName ?? col.name}->${tableOf.get(f.type)} ${rule[f.relationOnDelete ?? "NoAction"] ?? "NO ACTION"}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
