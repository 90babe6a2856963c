import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { wallMatcherFor } from "./wall-matcher.ts";

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomField(random: () => number, min: number, max: number): string {
  const pick = () => min + Math.floor(random() * (max - min + 1));
  const kind = Math.floor(random() * 6);
  if (kind === 0) return "*";
  if (kind === 1) return String(pick());
  if (kind === 2) return [pick(), pick(), pick()].join(",");
  const [a, b] = [pick(), pick()].sort((x, y) => x - y);
  if (kind === 3) return `${a}-${b}`;
  const step = 1 + Math.floor(random() * Math.max(1, (max - min) / 2));
  return kind === 4 ? `*/${step}` : `${a}-${b}/${step}`;
}

function randomDayOfMonth(random: () => number): string {
  return random() < 0.15 ? "L" : randomField(random, 1, 28 + Math.floor(random() * 4));
}

function randomDayOfWeek(random: () => number): string {
  const weekday = Math.floor(random() * 7);
  const kind = random();
  if (kind < 0.1) return `${weekday}L`;
  if (kind < 0.2) return `${weekday}#${1 + Math.floor(random() * 5)}`;
  return randomField(random, 0, 7);
}

function randomExpression(random: () => number): string {
  const fields = [
    randomField(random, 0, 59),
    randomField(random, 0, 23),
    randomDayOfMonth(random),
    randomField(random, 1, 12),
    randomDayOfWeek(random),
  ];
  return random() < 0.3 ? [randomField(random, 0, 59), ...fields].join(" ") : fields.join(" ");
}

function parserNexts(expr: string, from: number, count: number): number[] {
  const parsed = CronExpressionParser.parse(expr, { tz: "UTC", currentDate: new Date(from) });
  return parsed.take(count).map((d) => d.getTime());
}

function matcherNexts(expr: string, from: number, count: number): number[] {
  const matcher = wallMatcherFor(CronExpressionParser.parse(expr, { tz: "UTC" }).fields);
  const out: number[] = [];
  let wall = from;
  while (out.length < count) {
    const next = matcher.nextAfter(wall);
    if (next === undefined) break;
    out.push((wall = next));
  }
  return out;
}

describe("wallMatcherFor", () => {
  it.each([
    "* * * * *",
    "0 9 * * *",
    "*/7 * * * *",
    "30 2 29 2 *",
    "0 0 13 * 5",
    "0 12 * * 7",
    "0 12 * * 0-7",
    "15,45 8-18/2 1-7 * MON-FRI",
    "*/10 0 9 * * *",
    "0 0 31 * *",
    "0 0 L * *",
    "0 6 L 2 *",
    "0 0 * * 5L",
    "0 0 * * 1,3L",
    "0 0 * * 1#2",
    "0 0 * * 5#5",
    "0 0 13 * 5L",
    "0 0 L * 1#1",
  ])("finds the same matches as cron-parser for %j", (expr) => {
    const from = Date.UTC(2026, 0, 30, 23, 59, 59, 500);
    expect(matcherNexts(expr, from, 40)).toEqual(parserNexts(expr, from, 40));
  });

  it("finds the same matches as cron-parser for 500 random expressions, L and # included", () => {
    const random = mulberry32(20260308);
    let compared = 0;
    for (let i = 0; i < 500; i++) {
      const expr = randomExpression(random);
      const from = Date.UTC(2020, 0, 1) + Math.floor(random() * 10 * 365 * 86_400_000);
      let expected: number[];
      try {
        expected = parserNexts(expr, from, 12);
      } catch {
        continue; // an expression cron-parser rejects, or one that never matches
      }
      expect({ expr, from, slots: matcherNexts(expr, from, 12) }).toEqual({ expr, from, slots: expected });
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });
});
