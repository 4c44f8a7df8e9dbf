// Table-driven tests for reading counts with units from sentences in en/ru/uk.
import { describe, expect, it } from 'vitest';
import { fold } from './normalise.ts';
import { compileUnits, extractNumbers } from './numbers.ts';
import { NeedleTable } from './terms.ts';

const units = compileUnits(
  {
    drones: ['drone*', 'UAV*', 'Shahed*', 'дрон*', 'беспилотник*', 'БПЛА', 'безпілотник*'],
    missiles: ['missile*', 'ракет*'],
  },
  new NeedleTable(),
);
const read = (s: string) => Object.fromEntries(extractNumbers(fold(s), units).map((n) => [n.unit, n.value]));

describe('extractNumbers', () => {
  it.each([
    ['Russia launched 653 drones and 51 missiles overnight', { drones: 653, missiles: 51 }],
    ['Russia fired more than 600 drones at Ukraine', { drones: 600 }],
    ['nearly 500 drones and about 40 missiles', { drones: 500, missiles: 40 }],
    ['Росія запустила 653 дронів і 51 ракету', { drones: 653, missiles: 51 }],
    ['Всего ракет — 51, беспилотников — 653', { drones: 653, missiles: 51 }],
    ['drones: 1,200 in total', { drones: 1200 }],
    ['1 200 беспилотников за неделю', { drones: 1200 }],
    ['1\u00a0200 безпілотників', { drones: 1200 }],
    ['653 attack drones', { drones: 653 }],
    ['51 cruise missiles', { missiles: 51 }],
    ['653 drones, of which 585 drones were shot down', { drones: 653 }],
    ['Kh-101 missiles and Shahed-136 drones hit Kyiv', {}],
    ['S-400 missiles were moved', {}],
    ['5 people were killed by drones', {}],
    ['The 2.5 missiles figure is wrong', {}],
    ['No numbers about drones here', {}],
    ['In 2025 there were many attacks', {}],
  ])('%s', (sentence, expected) => {
    expect(read(sentence)).toEqual(expected);
  });
});
