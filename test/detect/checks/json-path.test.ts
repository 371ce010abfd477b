import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { queryJson } from '../../../src/detect/checks/json-path.js';

describe('queryJson', () => {
  const docs: unknown[] = [
    { status: 'ok', nested: { deep: { value: 0 } }, empty: null, list: [1, 2], text: 'abc', length: 3 },
    [{ status: 'in array' }],
    'a string',
    42,
    null,
    { constructor: 'own', __proto__: { inherited: true } },
    Object.assign(Object.create(null) as object, { bare: 1 }),
  ];
  const paths = ['$.status', '$.nested.deep.value', '$.nested.deep', '$.empty', '$.empty.x', '$.missing', '$.list', '$.list.length', '$.text.length', '$.length', '$.inherited', '$.constructor', '$.toString', '$.bare', '$.status.x', '$..value', '$.list[0]', '$.*'];

  it('answers every path as jsonpath-plus does, simple member paths included', () => {
    for (const doc of docs) {
      for (const path of paths) {
        const expected = JSONPath({ path, json: doc as object, wrap: true, eval: 'safe' }) as unknown[] | undefined;
        expect([path, queryJson(doc, path)]).toEqual([path, Array.isArray(expected) ? expected : []]);
      }
    }
  });
});
