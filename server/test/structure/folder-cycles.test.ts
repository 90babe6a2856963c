import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { SERVER_SRC, serverSourceFiles } from "./source-files.ts";

/**
 * The import graph between server/src's folders (a file directly in server/src, such as app.ts or
 * runtime.ts, is a node of its own), read with the TypeScript compiler's own import scanner;
 * `import type` counts too: a cycle of types is still a cycle of concerns.
 */
function folderGraph(): Map<string, Map<string, string[]>> {
  const nodeOf = (rel: string) => (rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : rel);
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of serverSourceFiles()) {
    for (const imported of ts.preProcessFile(file.text, true, true).importedFiles) {
      if (!imported.fileName.startsWith(".")) continue;
      const target = path.relative(SERVER_SRC, path.resolve(path.dirname(file.abs), imported.fileName)).split(path.sep).join("/");
      if (target.startsWith("..")) continue;
      const from = nodeOf(file.rel);
      const to = nodeOf(target);
      if (from === to) continue;
      const edges = graph.get(from) ?? graph.set(from, new Map()).get(from)!;
      edges.set(to, [...(edges.get(to) ?? []), `${file.rel} -> ${target}`]);
    }
  }
  return graph;
}

/** Strongly connected components of more than one node (Tarjan). */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("server/src folders", () => {
  const graph = folderGraph();

  it("import each other without a cycle", () => {
    const found = cycles(graph).map((c) => ({
      folders: c,
      imports: c.flatMap((a) => c.flatMap((b) => (graph.get(a)?.get(b) ?? []).slice(0, 3))),
    }));
    expect(found).toEqual([]);
  });

  it("reach each other between execution/ and scheduler/ only through runs/", () => {
    expect(graph.get("execution")?.get("scheduler") ?? []).toEqual([]);
    expect(graph.get("scheduler")?.get("execution") ?? []).toEqual([]);
    expect(graph.get("execution")?.has("runs")).toBe(true);
    expect(graph.get("scheduler")?.has("runs")).toBe(true);
  });

  it("see a cycle when there is one (the detector is not blind)", () => {
    const looped = new Map([["a", new Map([["b", ["a/x.ts -> b/y.ts"]]])], ["b", new Map([["a", ["b/y.ts -> a/x.ts"]]])]]);
    expect(cycles(looped)).toEqual([["a", "b"]]);
  });
});
