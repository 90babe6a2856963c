/** A piece of the process that starts after the runtime is open and stops before it closes. */
export interface AppPart {
  name: string;
  start(): Promise<void>;
  /**
   * Takes no new work from now on (stop follows). Every part is told at once when the process is
   * asked to stop, before the parts stop one by one: a worker must not start runs while the parts
   * stopped before it finish.
   */
  quiesce?(): void;
  stop(): Promise<void>;
}
