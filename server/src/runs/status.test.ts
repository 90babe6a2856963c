import { describe, expect, it } from "vitest";
import { JobStatus } from "../generated/prisma/enums.ts";
import { ACTIVE_STATUSES, FAILED_STATUSES, FINAL_STATUSES, RUN_STATUSES, RUN_TRANSITIONS, canMove, isActive, isFinal } from "./status.ts";

describe("a run's statuses and moves", () => {
  it("names every status of the database enum once, each either active or final", () => {
    expect([...RUN_STATUSES].sort()).toEqual(Object.values(JobStatus).sort());
    expect([...ACTIVE_STATUSES, ...FINAL_STATUSES].sort()).toEqual([...RUN_STATUSES].sort());
    for (const s of RUN_STATUSES) expect(isActive(s)).toBe(!isFinal(s));
    for (const s of FAILED_STATUSES) expect(isFinal(s)).toBe(true);
  });

  it("allows exactly the moves of the table", () => {
    const allowed = RUN_STATUSES.flatMap((from) => RUN_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual([
      "QUEUED→RUNNING",
      "QUEUED→CANCELLED",
      "QUEUED→ABANDONED",
      "RUNNING→SUCCESS",
      "RUNNING→FAILURE",
      "RUNNING→CANCELLED",
      "RUNNING→ABANDONED",
      "ABANDONED→SUCCESS",
      "ABANDONED→FAILURE",
      "ABANDONED→CANCELLED",
    ]);
  });

  it("never leaves SUCCESS, FAILURE or CANCELLED, and never goes back to QUEUED", () => {
    for (const end of ["SUCCESS", "FAILURE", "CANCELLED"] as const) expect(Object.keys(RUN_TRANSITIONS[end])).toEqual([]);
    for (const from of RUN_STATUSES) expect(canMove(from, "QUEUED")).toBe(false);
  });

  it("reaches every final status only from an active one or from ABANDONED (a late settle)", () => {
    for (const from of RUN_STATUSES) {
      for (const to of FINAL_STATUSES) if (canMove(from, to)) expect(isActive(from) || from === "ABANDONED").toBe(true);
    }
  });
});
