/**
 * Per-request batching: keys asked for in the same tick are loaded with one query. Keyed by the
 * context object, so a loader (and its cache) lives exactly as long as one GraphQL operation.
 */
type BatchFn<K, V> = (keys: readonly K[]) => Promise<Map<K, V>>;

interface Loader<K, V> {
  load(key: K): Promise<V | undefined>;
}

const loaders = new WeakMap<object, Map<string, Loader<unknown, unknown>>>();

function createLoader<K, V>(batch: BatchFn<K, V>): Loader<K, V> {
  const cache = new Map<K, Promise<V | undefined>>();
  let pending: Array<{ key: K; resolve: (v: V | undefined) => void; reject: (e: unknown) => void }> = [];
  const flush = async () => {
    const current = pending;
    pending = [];
    try {
      const result = await batch([...new Set(current.map((p) => p.key))]);
      for (const p of current) p.resolve(result.get(p.key));
    } catch (error) {
      for (const p of current) p.reject(error);
    }
  };
  return {
    load(key) {
      const hit = cache.get(key);
      if (hit) return hit;
      const promise = new Promise<V | undefined>((resolve, reject) => {
        if (pending.length === 0) queueMicrotask(() => void flush());
        pending.push({ key, resolve, reject });
      });
      cache.set(key, promise);
      return promise;
    },
  };
}

export function loaderFor<K, V>(context: object, name: string, batch: BatchFn<K, V>): Loader<K, V> {
  let map = loaders.get(context);
  if (!map) loaders.set(context, (map = new Map()));
  let loader = map.get(name) as Loader<K, V> | undefined;
  if (!loader) {
    loader = createLoader(batch);
    map.set(name, loader as Loader<unknown, unknown>);
  }
  return loader;
}
