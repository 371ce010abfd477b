import { describe, expect, it } from 'vitest';
import { parseIsoTimestamp } from '../../../src/detect/ingest/index.js';

describe('parseIsoTimestamp', () => {
  it('reads RFC 3339 with Z, ±hh:mm and ±hhmm offsets and up to nanoseconds', () => {
    const noon = Date.UTC(2026, 0, 31, 12, 0, 0);
    expect(parseIsoTimestamp('2026-01-31T12:00:00Z')).toBe(noon);
    expect(parseIsoTimestamp('2026-01-31T14:30:00+02:30')).toBe(noon);
    expect(parseIsoTimestamp('2026-01-31T07:00:00-0500')).toBe(noon);
    expect(parseIsoTimestamp('2026-01-31T12:00:00.5Z')).toBe(noon + 500);
    expect(parseIsoTimestamp('2026-01-31T12:00:00.123456789Z')).toBe(noon + 123);
    expect(parseIsoTimestamp('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
  });

  it('reads Go\'s zero time as year 1, not 1901', () => {
    expect(new Date(parseIsoTimestamp('0001-01-01T00:00:00Z')!).toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });

  it('refuses impossible dates, missing offsets and other formats', () => {
    for (const bad of ['2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T12:00:00', '2026-01-01', '1768478400', '2026-01-01T12:00:00+25:00', 'Thu, 15 Jan 2026 12:00:00 GMT']) {
      expect(parseIsoTimestamp(bad), bad).toBeUndefined();
    }
  });
});
