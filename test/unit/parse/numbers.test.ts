import { describe, expect, it } from 'vitest';
import { readCellNumber, readChineseNumber } from '../../../src/parse/numbers.ts';

const num = (cell: string) => {
  const r = readCellNumber(cell);
  return r.kind === 'number' ? r.value : r.kind;
};

describe('readCellNumber', () => {
  it.each([
    ['+300', 300],
    ['-905', -905],
    ['－905', -905],
    ['−12', -12],
    ['减 40', -40],
    ['减少40', -40],
    ['增加5', 5],
    ['增 5', 5],
    ['1,234', 1234],
    ['1，234', 1234],
    ['12件', 12],
    ['3条', 3],
    ['7个', 7],
    ['2项', 2],
    ['9例', 9],
    ['0', 0],
    ['8208. 93', 8208.93],
    ['3 985 758', 3985758],
    ['96171.6', 96171.6],
    ['１２３', 123],
  ])('%s → %s', (cell, want) => expect(num(cell)).toBe(want));

  it.each(['', ' ', '-', '—', '/', '无', '－', '——', '\u00a0'])('%j is blank, not 0 and not minus', (cell) => {
    expect(readCellNumber(cell).kind).toBe('blank');
  });

  it('returns money units for the caller to convert', () => {
    expect(readCellNumber('8208. 93 万元')).toEqual({ kind: 'number', value: 8208.93, money: '万元', approx: false });
    expect(readCellNumber('251000元')).toEqual({ kind: 'number', value: 251000, money: '元', approx: false });
    expect(readCellNumber('17')).toMatchObject({ money: null });
  });

  it('several numbers glued in one cell are not one number', () => {
    expect(readCellNumber('1 1 0 0 0 0 0 0')).toEqual({ kind: 'multi', values: [1, 1, 0, 0, 0, 0, 0, 0] });
  });

  it('label debris and Chinese numerals in a cell are text', () => {
    expect(readCellNumber(':年结转政/').kind).toBe('text');
    expect(readCellNumber('三').kind).toBe('text');
    expect(readCellNumber('一、').kind).toBe('text');
    expect(readCellNumber('1.').kind).toBe('text');
  });
});

describe('readChineseNumber', () => {
  it.each([
    ['两', 2, false],
    ['十二', 12, false],
    ['一百零五', 105, false],
    ['2万六千余', 26000, true],
    ['二〇二〇', 2020, false],
    ['八千五百三十二', 8532, false],
    ['1.5万', 15000, false],
    ['三亿二千万', 320000000, false],
    ['20余', 20, true],
    ['约300', 300, true],
    ['十', 10, false],
    ['两千零一十', 2010, false],
  ])('%s → %s (approx %s)', (text, value, approx) => expect(readChineseNumber(text)).toEqual({ value, approx }));

  it.each(['', '万', '条', '政府'])('%j is not a number', (text) => expect(readChineseNumber(text)).toBeNull());
});
