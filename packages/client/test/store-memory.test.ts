/** MemoryStore against the Store conformance suite (it does not persist: no durability checks). */
import { MemoryStore } from '../src/store/memory-store';
import { describeStoreConformance } from './store-conformance';

describeStoreConformance('MemoryStore', async () => ({ store: new MemoryStore() }), { persistent: false });
