import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, tuneHeap } from '../../src/runtime/heap.js';

describe('the heap growth Medic sets for its serving processes', () => {
  it('is 25 % unless the user chose', () => {
    expect(tuneHeap({}, [])).toBe(HEAP_GROWING_PERCENT);
    expect(tuneHeap({ MEDIC_HEAP_GROWING_PERCENT: '40' }, [])).toBe(40);
  });

  it("leaves the user's own flag, V8's choice (0) and nonsense alone", () => {
    expect(tuneHeap({ NODE_OPTIONS: '--max-old-space-size=512 --heap-growing-percent=50' }, [])).toBeUndefined();
    expect(tuneHeap({}, ['--heap_growing_percent=10'])).toBeUndefined();
    expect(tuneHeap({ MEDIC_HEAP_GROWING_PERCENT: '0' }, [])).toBeUndefined();
    expect(tuneHeap({ MEDIC_HEAP_GROWING_PERCENT: 'lots' }, [])).toBeUndefined();
  });
});
