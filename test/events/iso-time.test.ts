import { isoTimestamp } from '../../src/internal/iso-time';

const MAX = 8.64e15; // the largest time a Date holds

test('the same string as Date.prototype.toISOString, for every time a Date holds', () => {
  const times = [0, 1, 7, 99, 100, 999, 1000, -1, -999, -1000, -1001, Date.UTC(2026, 11, 7, 22, 14, 25, 7), Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.UTC(2000, 0, 1), -62198755200000, 253402300799999, 253402300800000, MAX, -MAX, 1.5, -0.5];
  for (let i = 0; i < 2000; i++) times.push(Math.round((Math.random() * 2 - 1) * 4e12));
  // runs within a second and across seconds, in both directions
  const start = Date.UTC(2026, 0, 1, 0, 0, 59, 990);
  for (let t = start; t < start + 30; t++) times.push(t);
  for (let t = start + 30; t > start - 30; t -= 3) times.push(t);
  for (const t of times) expect([t, isoTimestamp(t)]).toEqual([t, new Date(t).toISOString()]);
});

test('an invalid time throws as toISOString does, and the next valid one is right', () => {
  expect(() => isoTimestamp(Number.NaN)).toThrow(RangeError);
  expect(() => isoTimestamp(MAX + 1)).toThrow(RangeError);
  expect(isoTimestamp(1234)).toBe('1970-01-01T00:00:01.234Z');
});
