/**
 * A `Map` used as a bounded cache: `remember` puts an entry last, and drops the entry put longest
 * ago once the map holds more than `capacity`. Insertion order is the map's own, so there is no
 * bookkeeping beside it. The client's caches (parsed JIDs, decoded session records, PN -> LID) are
 * all this.
 */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, capacity: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > capacity) map.delete(map.keys().next().value as K);
}
