import { describe, expect, test } from 'vitest';
import { codesOverlap, damerauLevenshtein, doubleMetaphone, doubleMetaphoneMatch, jaro, jaroWinkler, levenshtein, withinOneEdit } from '../../src/linkage/metrics.ts';

describe('Jaro and Jaro-Winkler', () => {
  // Winkler's published pairs (Winkler 1990; Porter and Winkler 1997), to three decimals. Pairs his
  // table shows as 0.000 (e.g. JON/JAN) came from an extra cut-off outside the standard metric, so
  // they are not reference values for it.
  test.each([
    ['MARTHA', 'MARHTA', 0.961],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.813],
    ['SHACKLEFORD', 'SHACKELFORD', 0.982],
    ['DUNNINGHAM', 'CUNNIGHAM', 0.896],
    ['NICHLESON', 'NICHULSON', 0.956],
    ['JONES', 'JOHNSON', 0.832],
    ['MASSEY', 'MASSIE', 0.933],
    ['ABROMS', 'ABRAMS', 0.922],
    ['JERALDINE', 'GERALDINE', 0.926],
    ['MICHELLE', 'MICHAEL', 0.921],
    ['JULIES', 'JULIUS', 0.933],
    ['TANYA', 'TONYA', 0.88],
    ['SEAN', 'SUSAN', 0.805],
    ['JON', 'JOHN', 0.933],
    ['JELLYFISH', 'SMELLYFISH', 0.896],
  ])('Jaro-Winkler(%s, %s) = %d', (a, b, expected) => {
    expect(Number(jaroWinkler(a, b).toFixed(3))).toBe(expected);
    expect(jaroWinkler(b, a)).toBeCloseTo(jaroWinkler(a, b), 12);
  });

  test('Jaro values behind the Winkler figures', () => {
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
    expect(jaro('DWAYNE', 'DUANE')).toBeCloseTo(0.822, 3);
    expect(jaro('DIXON', 'DICKSONX')).toBeCloseTo(0.767, 3);
  });

  test('edge cases', () => {
    expect(jaro('', '')).toBe(1);
    expect(jaro('a', '')).toBe(0);
    expect(jaro('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('same', 'same')).toBe(1);
    expect(jaro('a', 'a')).toBe(1);
  });

  test('the prefix boost applies only above the boost threshold', () => {
    // Jaro 0.5 < 0.7: a shared first letter earns nothing.
    const low = jaro('ab', 'ac');
    expect(low).toBeLessThan(0.7);
    expect(jaroWinkler('ab', 'ac')).toBe(low);
    expect(jaroWinkler('ab', 'ac', { boostThreshold: 0 })).toBeCloseTo(low + 0.1 * (1 - low), 12);
  });

  test('the prefix counts at most four characters', () => {
    const j = jaro('ABCDEFGH', 'ABCDEFGX');
    expect(jaroWinkler('ABCDEFGH', 'ABCDEFGX')).toBeCloseTo(j + 4 * 0.1 * (1 - j), 12);
  });
});

describe('edit distances', () => {
  test.each([
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['saturday', 'sunday', 3],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['gumbo', 'gambol', 2],
    ['ab', 'ba', 2],
  ])('Levenshtein(%s, %s) = %d', (a, b, expected) => {
    expect(levenshtein(a, b)).toBe(expected);
    expect(levenshtein(b, a)).toBe(expected);
  });

  test.each([
    ['ab', 'ba', 1],
    ['MARTHA', 'MARHTA', 1],
    ['kitten', 'sitting', 3],
    ['abcdef', 'abcdfe', 1],
    ['a cat', 'an act', 2],
    ['', 'abc', 3],
    ['same', 'same', 0],
    // True Damerau-Levenshtein edits a transposed pair again; optimal string alignment would give 3.
    ['CA', 'ABC', 2],
    // Characters beyond Latin-1 take a different path.
    ['ŁŻa', 'ŻŁa', 1],
    ['Ωmega', 'mΩega', 1],
  ])('Damerau-Levenshtein(%s, %s) = %d', (a, b, expected) => {
    expect(damerauLevenshtein(a, b)).toBe(expected);
    expect(damerauLevenshtein(b, a)).toBe(expected);
  });

  test('a transposition costs 1 in Damerau-Levenshtein and 2 in Levenshtein', () => {
    expect(damerauLevenshtein('Jonh', 'John')).toBe(1);
    expect(levenshtein('Jonh', 'John')).toBe(2);
  });

  test('long strings reuse and grow the scratch buffers correctly', () => {
    const a = 'abcdefghij'.repeat(20);
    const b = `${a.slice(0, 100)}X${a.slice(101)}`;
    expect(levenshtein(a, b)).toBe(1);
    expect(damerauLevenshtein(a, b)).toBe(1);
    expect(jaro(a, a.slice(0, 199))).toBeGreaterThan(0.99);
  });
});

describe('Double Metaphone', () => {
  // Codes worked through Philips' rules by hand. Thompson is TMPS (not the often-quoted TMSN):
  // TH before OM gives T, and P followed by S is kept; the code is cut at four characters.
  test.each([
    ['Smith', 'SM0', 'XMT'],
    ['Schmidt', 'XMT', 'SMT'],
    ['Thompson', 'TMPS', 'TMPS'],
    ['Thomas', 'TMS', 'TMS'],
    ['Catherine', 'K0RN', 'KTRN'],
    ['Kathryn', 'K0RN', 'KTRN'],
    ['Jose', 'HS', 'HS'],
    ['Xavier', 'SF', 'SFR'],
    ['Michael', 'MKL', 'MXL'],
    ['Jones', 'JNS', 'ANS'],
    ['Knight', 'NT', 'NT'],
    ['Arnow', 'ARN', 'ARNF'],
    ['Arnoff', 'ARNF', 'ARNF'],
    ['Wasserman', 'ASRM', 'FSRM'],
    ['Campbell', 'KMPL', 'KMPL'],
    ['Caesar', 'SSR', 'SSR'],
    ['Gallegos', 'KLKS', 'KKS'],
    ['Tagliaro', 'TKLR', 'TLR'],
    ['Hugh', 'H', 'H'],
    ['Laugh', 'LF', 'LF'],
    ['McLaughlin', 'MKLF', 'MKLF'],
    ['Czerny', 'SRN', 'XRN'],
    ['Focaccia', 'FKX', 'FKX'],
    ['Bacchus', 'PKS', 'PKS'],
    ['Accident', 'AKST', 'AKST'],
    ['Edge', 'AJ', 'AJ'],
    ['Edgar', 'ATKR', 'ATKR'],
    ['Filipowicz', 'FLPT', 'FLPF'],
    ['Schermerhorn', 'XRMR', 'SKRM'],
    ['Sugar', 'XKR', 'SKR'],
    ['Zhao', 'J', 'J'],
    ['Stephen', 'STFN', 'STFN'],
    ['Steven', 'STFN', 'STFN'],
    ['Geoffrey', 'JFR', 'KFR'],
    ['Jeffrey', 'JFR', 'AFR'],
    ['Shaun', 'XN', 'XN'],
    ['Siobhan', 'SPN', 'XPN'],
    ['Mac Caffrey', 'MKFR', 'MKFR'],
    ['San Jacinto', 'SNHS', 'SNHS'],
  ])('%s → %s / %s', (name, primary, alternate) => {
    expect(doubleMetaphone(name)).toEqual({ primary, alternate });
  });

  test('input case does not matter, and empty input has no codes', () => {
    expect(doubleMetaphone('smith')).toEqual(doubleMetaphone('SMITH'));
    expect(doubleMetaphone('')).toEqual({ primary: '', alternate: '' });
  });

  test('longer codes on request', () => {
    expect(doubleMetaphone('Thompson', 8).primary).toBe('TMPSN');
    expect(doubleMetaphone('Alexander', 8).primary).toBe('ALKSNTR');
  });

  test('names that sound alike share a code', () => {
    expect(doubleMetaphoneMatch(doubleMetaphone('Smith'), doubleMetaphone('Schmidt'))).toBe(true);
    expect(doubleMetaphoneMatch(doubleMetaphone('Catherine'), doubleMetaphone('Kathryn'))).toBe(true);
    expect(doubleMetaphoneMatch(doubleMetaphone('Stephen'), doubleMetaphone('Steven'))).toBe(true);
    expect(doubleMetaphoneMatch(doubleMetaphone('Smith'), doubleMetaphone('Jones'))).toBe(false);
    expect(codesOverlap('', '', '', '')).toBe(false);
  });
});

describe('withinOneEdit', () => {
  const words = ['', 'a', 'ab', 'ba', 'abc', 'acb', 'bac', 'abcd', 'abdc', 'abxd', 'axbcd', 'bcd', 'abc ', 'mia', 'nia', 'anna', 'nna', 'ana', 'kate', 'katie', 'ca', 'abc'];
  test('agrees with the full distances on every pair of a set of near-miss words', () => {
    for (const a of words) {
      for (const b of words) {
        expect(withinOneEdit(a, b, false), `${a} / ${b}`).toBe(levenshtein(a, b) <= 1);
        expect(withinOneEdit(a, b, true), `${a} / ${b}`).toBe(damerauLevenshtein(a, b) <= 1);
      }
    }
  });
});
