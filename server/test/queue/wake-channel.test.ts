import type { JobNotification } from "agenda";
import { describe, expect, it } from "vitest";
import { createMemoryEventBus } from "../../src/events/memory-event-bus.ts";
import { WakeChannel } from "../../src/queue/wake-channel.ts";

/** A handler (Agenda's processor stands here) whose fills end when the test says so. */
function recorder() {
  const calls: JobNotification[] = [];
  const ends: Array<() => void> = [];
  const handler = (n: JobNotification) => {
    calls.push(n);
    return new Promise<void>((resolve) => ends.push(resolve));
  };
  return { calls, ends, handler };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe("the wake channel's fills", () => {
  it("runs one fill per job name at a time; wake-ups meanwhile become one more fill, the earliest due", async () => {
    const channel = new WakeChannel(createMemoryEventBus());
    const { calls, ends, handler } = recorder();
    channel.subscribe(handler);
    channel.wakeHere({ jobName: "a", nextRunAt: null });
    await tick();
    expect(calls).toHaveLength(1);
    const later = new Date(Date.now() + 60_000);
    const sooner = new Date(Date.now() + 1_000);
    channel.wakeHere({ jobName: "a", nextRunAt: later });
    channel.wakeHere({ jobName: "a", nextRunAt: sooner });
    channel.wakeHere({ jobName: "b", nextRunAt: null });
    await tick();
    // "b" is not held back by "a"'s fill; "a"'s wake-ups wait for it.
    expect(calls.map((c) => c.jobName)).toEqual(["a", "b"]);
    ends[0]!();
    await tick();
    expect(calls.map((c) => c.jobName)).toEqual(["a", "b", "a"]);
    expect(calls[2]!.nextRunAt).toEqual(sooner);
    ends[2]!();
    await tick();
    // Nothing more was asked for: no further fill.
    expect(calls).toHaveLength(3);
    channel.wakeHere({ jobName: "a", nextRunAt: null });
    await tick();
    expect(calls).toHaveLength(4);
    channel.close();
  });
});
