import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { zhCN } from "./zh-cn.ts";

const SRC = fileURLToPath(new URL("..", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".test.ts") && !full.includes(`${path.sep}i18n${path.sep}`) ? [full] : [];
  });
}

const namespaces = new Set(Object.keys(zhCN).map((k) => k.split(".")[0]!));

/** Every string literal in the sources that looks like a catalogue key (t("…"), ternaries, label maps). */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/["'`]([a-z][A-Za-z]*(?:\.[A-Za-z0-9_]+)+)["'`]/g)) {
      const key = m[1]!;
      if (namespaces.has(key.split(".")[0]!) && !/\.(ts|tsx|css)$/.test(key)) used.set(key, path.relative(SRC, file));
    }
    for (const m of text.matchAll(/\bt\(\s*["'`]([^"'`]+)["'`]/g)) used.set(m[1]!, path.relative(SRC, file));
  }
  return used;
}

describe("message catalogues", () => {
  it("have exactly the same keys in Chinese and English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it("contain every key the sources use", () => {
    const missing = [...usedKeys()].filter(([key]) => !(key in zhCN)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it("leave no message empty and keep the same placeholders in both languages", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, zh] of Object.entries(zhCN)) {
      const english = en[key as keyof typeof zhCN];
      expect(zh.trim(), key).not.toBe("");
      expect(english.trim(), key).not.toBe("");
      expect(placeholders(english), key).toEqual(placeholders(zh));
    }
  });

  it("finds the keys used in source (the scan itself works)", () => {
    expect(usedKeys().has("login.submit")).toBe(true);
    expect(usedKeys().has("jobs.toast.enabled")).toBe(true);
  });
});
