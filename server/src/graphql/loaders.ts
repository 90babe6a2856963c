import DataLoader from "dataloader";

/**
 * Per-request batching with `dataloader`: keys asked for in the same tick are loaded with one
 * query. Keyed by the context object, so a loader (and its cache) lives exactly as long as one
 * GraphQL operation.
 */
type BatchFn<K, V> = (keys: readonly K[]) => Promise<Map<K, V>>;

const loaders = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

export function loaderFor<K, V>(context: object, name: string, batch: BatchFn<K, V>): DataLoader<K, V | undefined> {
  let map = loaders.get(context);
  if (!map) loaders.set(context, (map = new Map()));
  let loader = map.get(name) as DataLoader<K, V | undefined> | undefined;
  if (!loader) {
    // A key the batch has no row for loads as undefined (a job with no run yet), not as an error.
    loader = new DataLoader<K, V | undefined>(async (keys) => {
      const found = await batch(keys);
      return keys.map((key) => found.get(key));
    });
    map.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}
