import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from '../../src/config/condition.js';

// Conditions are evaluated per flag evaluation; their answers stay the same however often they are asked.
describe('conditions', () => {
  it.each([
    ['plan == "pro" and country in [US, CA]', { plan: 'pro', country: 'CA' }, true],
    ['plan == "pro" and country in [US, CA]', { plan: 'pro', country: 'FR' }, false],
    ['plan == "pro" and country in [US, CA]', { plan: 'free', country: 'US' }, false],
    ['country not in [US, CA]', { country: 'FR' }, true],
    ['country not in [US, CA]', {}, true],
    ['country not in [US, CA]', { country: 'US' }, false],
    ['seats in [5, 10]', { seats: 10 }, true],
    ['email matches "@example\\\\.com$"', { email: 'a@example.com' }, true],
    ['email matches "@example\\\\.com$"', { email: 'a@example.org' }, false],
    ['email matches "@example\\\\.com$"', {}, false],
    ['total_ms > 800', { total_ms: 801 }, true],
  ])('%s with %j → %s, every time', (source, values, expected) => {
    const condition = parseCondition(source);
    for (let i = 0; i < 3; i++) expect(evaluateCondition(condition, values)).toBe(expected);
  });
});
