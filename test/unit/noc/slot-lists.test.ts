import { SlotLists } from '../../../src/chip/noc/slot-lists';

describe('SlotLists (lean per-cycle lists)', () => {
  test('records keep their scheduling order through growth; the first push of a slot reports it', () => {
    const l = new SlotLists(4, 2, 1, 'arrival');
    const first: boolean[] = [];
    for (let i = 0; i < 9; i++) first.push(l.push(1, 5, i, 100 + i));
    expect(first).toEqual([true, false, false, false, false, false, false, false, false]);
    expect(l.len[1]).toBe(9);
    expect(Array.from((l.lists[1] as Int32Array).subarray(0, 18))).toEqual(Array.from({ length: 9 }, (_, i) => [i, 100 + i]).flat());
    expect(l.len[0]).toBe(0);
  });

  test('a width-1 list stores one word per record', () => {
    const l = new SlotLists(2, 1, 2, 'tick');
    for (const r of [7, 3, 9]) l.push(0, 2, r, 0);
    expect(Array.from((l.lists[0] as Int32Array).subarray(0, 3))).toEqual([7, 3, 9]);
  });

  test('keepFrom leaves the unread records in order; an emptied slot takes another cycle', () => {
    const l = new SlotLists(2, 2, 4, 'arrival');
    for (let i = 0; i < 4; i++) l.push(0, 8, i, -i);
    l.keepFrom(0, 3);
    expect(l.len[0]).toBe(1);
    expect(Array.from((l.lists[0] as Int32Array).subarray(0, 2))).toEqual([3, -3]);
    expect(l.push(0, 8, 4, -4)).toBe(false);
    l.len[0] = 0;
    expect(l.push(0, 10, 1, 1)).toBe(true);
  });

  test('a slot still holding another cycle is an error (the ring is too short)', () => {
    const l = new SlotLists(2, 1, 2, 'tick');
    l.push(1, 3, 0, 0);
    expect(() => l.push(1, 5, 1, 0)).toThrow('tick slot of cycle 5 still holds cycle 3');
  });
});
