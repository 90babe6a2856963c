/**
 * Milestones of this process's start-up, in ms since the process began (performance.now() counts
 * from the process's start), logged with the "started" line so a slow start shows where it went.
 */
const marks: Record<string, number> = {};

export function markStartup(name: string): void {
  marks[name] = Math.round(performance.now());
}

export function startupMarks(): Readonly<Record<string, number>> {
  return { ...marks };
}
