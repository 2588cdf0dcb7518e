/**
 * String similarity and phonetic metrics used by the linkage comparisons.
 *
 * All functions work on UTF-16 code units, which is exact for the Latin names the engine is built
 * for; a character outside the Basic Multilingual Plane counts as two. They are called for every
 * candidate pair, so they avoid allocation where they can and never throw on odd input.
 */

/** Jaro similarity in [0, 1]: 1 for identical strings (two empty strings included), 0 when nothing matches. */
export function jaro(s1: string, s2: string): number {
  if (s1 === s2) return 1;
  const l1 = s1.length;
  const l2 = s2.length;
  if (l1 === 0 || l2 === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(l1, l2) / 2) - 1);
  const matched1 = scratchBytes(0, l1);
  const matched2 = scratchBytes(1, l2);
  let matches = 0;
  for (let i = 0; i < l1; i += 1) {
    const code = s1.charCodeAt(i);
    const lo = i > window ? i - window : 0;
    const hi = Math.min(l2 - 1, i + window);
    for (let j = lo; j <= hi; j += 1) {
      if (matched2[j] === 0 && s2.charCodeAt(j) === code) {
        matched1[i] = 1;
        matched2[j] = 1;
        matches += 1;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < l1; i += 1) {
    if (matched1[i] === 0) continue;
    while (matched2[k] === 0) k += 1;
    if (s1.charCodeAt(i) !== s2.charCodeAt(k)) halfTranspositions += 1;
    k += 1;
  }
  const transpositions = halfTranspositions / 2;
  return (matches / l1 + matches / l2 + (matches - transpositions) / matches) / 3;
}

export interface JaroWinklerOptions {
  /** Weight given to each character of common prefix; Winkler's 0.1 keeps the result within [0, 1] for a prefix of up to 4. */
  prefixScale?: number;
  /** Longest common prefix that earns the boost; Winkler capped it at 4. */
  maxPrefix?: number;
  /** The prefix boost applies only when the Jaro similarity exceeds this; Winkler's 0.7 stops weak matches being promoted by a shared initial. */
  boostThreshold?: number;
}

/**
 * Jaro-Winkler similarity: Jaro plus a bonus for a shared prefix, because typing errors are rarer at
 * the start of a name. The boost is applied only above the boost threshold, as Winkler specified.
 */
export function jaroWinkler(s1: string, s2: string, options: JaroWinklerOptions = {}): number {
  const prefixScale = options.prefixScale ?? 0.1;
  const maxPrefix = options.maxPrefix ?? 4;
  const boostThreshold = options.boostThreshold ?? 0.7;
  const j = jaro(s1, s2);
  if (j <= boostThreshold) return j;
  const limit = Math.min(maxPrefix, s1.length, s2.length);
  let prefix = 0;
  while (prefix < limit && s1.charCodeAt(prefix) === s2.charCodeAt(prefix)) prefix += 1;
  return j + prefix * prefixScale * (1 - j);
}

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0) return lb;
  if (lb === 0) return la;
  const previous = scratchInts(0, lb + 1);
  const current = scratchInts(1, lb + 1);
  for (let j = 0; j <= lb; j += 1) previous[j] = j;
  let prev = previous;
  let cur = current;
  for (let i = 1; i <= la; i += 1) {
    cur[0] = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j += 1) {
      const substitution = (prev[j - 1] as number) + (code === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = (prev[j] as number) + 1;
      const insertion = (cur[j - 1] as number) + 1;
      cur[j] = substitution < deletion ? (substitution < insertion ? substitution : insertion) : deletion < insertion ? deletion : insertion;
    }
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  return prev[lb] as number;
}

/**
 * True (unrestricted) Damerau-Levenshtein distance, by the Lowrance-Wagner algorithm: insertions,
 * deletions, substitutions and transpositions of adjacent characters each cost 1, and a transposed
 * pair may be edited again (so "CA" to "ABC" is 2, where optimal string alignment gives 3).
 */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0) return lb;
  if (lb === 0) return la;
  const width = lb + 2;
  const h = scratchInts(2, (la + 2) * width);
  const infinity = la + lb;
  h[0] = infinity;
  for (let i = 0; i <= la; i += 1) {
    h[(i + 1) * width] = infinity;
    h[(i + 1) * width + 1] = i;
  }
  for (let j = 0; j <= lb; j += 1) {
    h[j + 1] = infinity;
    h[width + j + 1] = j;
  }
  // Row (1-based) where each character was last seen in `a`; zero when not yet seen. Latin-1
  // characters use a reused array, anything else a map.
  const lastRowLatin = latinRows;
  lastRowLatin.fill(0);
  let lastRowOther: Map<number, number> | null = null;
  for (let i = 1; i <= la; i += 1) {
    const ca = a.charCodeAt(i - 1);
    let lastMatchColumn = 0;
    for (let j = 1; j <= lb; j += 1) {
      const cb = b.charCodeAt(j - 1);
      const i1 = cb < 256 ? (lastRowLatin[cb] as number) : (lastRowOther?.get(cb) ?? 0);
      const j1 = lastMatchColumn;
      let cost = 1;
      if (ca === cb) {
        cost = 0;
        lastMatchColumn = j;
      }
      const substitution = (h[i * width + j] as number) + cost;
      const insertion = (h[(i + 1) * width + j] as number) + 1;
      const deletion = (h[i * width + j + 1] as number) + 1;
      const transposition = (h[i1 * width + j1] as number) + (i - i1 - 1) + 1 + (j - j1 - 1);
      h[(i + 1) * width + j + 1] = Math.min(substitution, insertion, deletion, transposition);
    }
    if (ca < 256) {
      lastRowLatin[ca] = i;
    } else {
      lastRowOther ??= new Map();
      lastRowOther.set(ca, i);
    }
  }
  return h[(la + 1) * width + lb + 1] as number;
}

/**
 * Whether two strings are at most one edit apart: one character inserted, deleted or substituted,
 * or (with `transpositions`) two adjacent characters swapped. The same answer as
 * `levenshtein(a, b) <= 1` (or `damerauLevenshtein`), in one pass and without allocating, for the
 * commonest threshold.
 */
export function withinOneEdit(a: string, b: string, transpositions: boolean): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let start = 0;
  const shorter = Math.min(la, lb);
  while (start < shorter && a.charCodeAt(start) === b.charCodeAt(start)) start += 1;
  let endA = la - 1;
  let endB = lb - 1;
  while (endA >= start && endB >= start && a.charCodeAt(endA) === b.charCodeAt(endB)) {
    endA -= 1;
    endB -= 1;
  }
  // What differs is a[start..endA] and b[start..endB].
  const restA = endA - start + 1;
  const restB = endB - start + 1;
  if (restA <= 1 && restB <= 1) return true;
  return transpositions && restA === 2 && restB === 2 && a.charCodeAt(start) === b.charCodeAt(start + 1) && a.charCodeAt(start + 1) === b.charCodeAt(start);
}

export interface DoubleMetaphoneCodes {
  primary: string;
  alternate: string;
}

/**
 * Double Metaphone, ported rule for rule from Lawrence Philips' C++ original (C/C++ Users Journal,
 * June 2000): codes of up to `maxLength` characters (4 in the original), '0' standing for "th" and
 * 'X' for "sh". The alternate equals the primary when no rule offered a second pronunciation.
 *
 * The original pads the word with five spaces so that look-ahead past the end sees spaces; several
 * rules depend on that (for example "JOSE" as a whole word gives H), so the padding is kept here.
 */
export function doubleMetaphone(input: string, maxLength = 4): DoubleMetaphoneCodes {
  const word = input.toUpperCase();
  const length = word.length;
  if (length < 1) return { primary: '', alternate: '' };
  const last = length - 1;
  const padded = `${word}     `;
  let primary = '';
  let secondary = '';
  let current = 0;

  const at = (position: number): string => (position < 0 || position >= padded.length ? '' : (padded[position] as string));
  const stringAt = (start: number, count: number, ...candidates: string[]): boolean => {
    if (start < 0 || start >= padded.length) return false;
    const target = padded.substr(start, count);
    return candidates.includes(target);
  };
  const isVowel = (position: number): boolean => {
    if (position < 0 || position >= length) return false;
    const c = at(position);
    return c === 'A' || c === 'E' || c === 'I' || c === 'O' || c === 'U' || c === 'Y';
  };
  const slavoGermanic = word.includes('W') || word.includes('K') || word.includes('CZ') || word.includes('WITZ');
  const add = (main: string, alt?: string): void => {
    if (alt === undefined) {
      primary += main;
      secondary += main;
      return;
    }
    primary += main;
    if (alt !== '') {
      if (alt[0] !== ' ') secondary += alt;
    } else if (main !== '' && main[0] !== ' ') {
      secondary += main;
    }
  };
  const germanic = (): boolean => stringAt(0, 4, 'VAN ', 'VON ') || stringAt(0, 3, 'SCH');

  // Silent first letters.
  if (stringAt(0, 2, 'GN', 'KN', 'PN', 'WR', 'PS')) current += 1;
  // An initial X sounds as Z, which maps to S (Xavier).
  if (at(0) === 'X') {
    add('S');
    current += 1;
  }

  while (primary.length < maxLength || secondary.length < maxLength) {
    if (current >= length) break;
    switch (at(current)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (current === 0) add('A');
        current += 1;
        break;

      case 'B':
        add('P');
        current += at(current + 1) === 'B' ? 2 : 1;
        break;

      case 'Ç':
        add('S');
        current += 1;
        break;

      case 'C':
        current = handleC(current);
        break;

      case 'D':
        if (stringAt(current, 2, 'DG')) {
          if (stringAt(current + 2, 1, 'I', 'E', 'Y')) {
            add('J');
            current += 3;
          } else {
            add('TK');
            current += 2;
          }
          break;
        }
        if (stringAt(current, 2, 'DT', 'DD')) {
          add('T');
          current += 2;
          break;
        }
        add('T');
        current += 1;
        break;

      case 'F':
        current += at(current + 1) === 'F' ? 2 : 1;
        add('F');
        break;

      case 'G':
        current = handleG(current);
        break;

      case 'H':
        // Kept only when first or between vowels, and before a vowel.
        if ((current === 0 || isVowel(current - 1)) && isVowel(current + 1)) {
          add('H');
          current += 2;
        } else {
          current += 1;
        }
        break;

      case 'J':
        current = handleJ(current);
        break;

      case 'K':
        current += at(current + 1) === 'K' ? 2 : 1;
        add('K');
        break;

      case 'L':
        if (at(current + 1) === 'L') {
          // Spanish, e.g. 'cabrillo', 'gallegos'.
          if (
            (current === length - 3 && stringAt(current - 1, 4, 'ILLO', 'ILLA', 'ALLE')) ||
            ((stringAt(last - 1, 2, 'AS', 'OS') || stringAt(last, 1, 'A', 'O')) && stringAt(current - 1, 4, 'ALLE'))
          ) {
            add('L', ' ');
            current += 2;
            break;
          }
          current += 2;
        } else {
          current += 1;
        }
        add('L');
        break;

      case 'M':
        if ((stringAt(current - 1, 3, 'UMB') && (current + 1 === last || stringAt(current + 2, 2, 'ER'))) || at(current + 1) === 'M') {
          current += 2;
        } else {
          current += 1;
        }
        add('M');
        break;

      case 'N':
        current += at(current + 1) === 'N' ? 2 : 1;
        add('N');
        break;

      case 'Ñ':
        current += 1;
        add('N');
        break;

      case 'P':
        if (at(current + 1) === 'H') {
          add('F');
          current += 2;
          break;
        }
        // 'campbell', 'raspberry'.
        current += stringAt(current + 1, 1, 'P', 'B') ? 2 : 1;
        add('P');
        break;

      case 'Q':
        current += at(current + 1) === 'Q' ? 2 : 1;
        add('K');
        break;

      case 'R':
        // French, e.g. 'rogier', but not 'hochmeier'.
        if (current === last && !slavoGermanic && stringAt(current - 2, 2, 'IE') && !stringAt(current - 4, 2, 'ME', 'MA')) {
          add('', 'R');
        } else {
          add('R');
        }
        current += at(current + 1) === 'R' ? 2 : 1;
        break;

      case 'S':
        current = handleS(current);
        break;

      case 'T':
        if (stringAt(current, 4, 'TION')) {
          add('X');
          current += 3;
          break;
        }
        if (stringAt(current, 3, 'TIA', 'TCH')) {
          add('X');
          current += 3;
          break;
        }
        if (stringAt(current, 2, 'TH') || stringAt(current, 3, 'TTH')) {
          // 'thomas', 'thames', or Germanic.
          if (stringAt(current + 2, 2, 'OM', 'AM') || germanic()) {
            add('T');
          } else {
            add('0', 'T');
          }
          current += 2;
          break;
        }
        current += stringAt(current + 1, 1, 'T', 'D') ? 2 : 1;
        add('T');
        break;

      case 'V':
        current += at(current + 1) === 'V' ? 2 : 1;
        add('F');
        break;

      case 'W':
        if (stringAt(current, 2, 'WR')) {
          add('R');
          current += 2;
          break;
        }
        if (current === 0 && (isVowel(current + 1) || stringAt(current, 2, 'WH'))) {
          // Wasserman should match Vasserman; Uomo should match Womo.
          if (isVowel(current + 1)) add('A', 'F');
          else add('A');
        }
        // Arnow should match Arnoff.
        if ((current === last && isVowel(current - 1)) || stringAt(current - 1, 5, 'EWSKI', 'EWSKY', 'OWSKI', 'OWSKY') || stringAt(0, 3, 'SCH')) {
          add('', 'F');
          current += 1;
          break;
        }
        // Polish, e.g. 'filipowicz'.
        if (stringAt(current, 4, 'WICZ', 'WITZ')) {
          add('TS', 'FX');
          current += 4;
          break;
        }
        current += 1;
        break;

      case 'X':
        // French, e.g. 'breaux'.
        if (!(current === last && (stringAt(current - 3, 3, 'IAU', 'EAU') || stringAt(current - 2, 2, 'AU', 'OU')))) {
          add('KS');
        }
        current += stringAt(current + 1, 1, 'C', 'X') ? 2 : 1;
        break;

      case 'Z':
        // Chinese pinyin, e.g. 'zhao'.
        if (at(current + 1) === 'H') {
          add('J');
          current += 2;
          break;
        }
        if (stringAt(current + 1, 2, 'ZO', 'ZI', 'ZA') || (slavoGermanic && current > 0 && at(current - 1) !== 'T')) {
          add('S', 'TS');
        } else {
          add('S');
        }
        current += at(current + 1) === 'Z' ? 2 : 1;
        break;

      default:
        current += 1;
    }
  }

  return { primary: primary.slice(0, maxLength), alternate: secondary.slice(0, maxLength) };

  function handleC(position: number): number {
    // Various Germanic spellings.
    if (
      position > 1 &&
      !isVowel(position - 2) &&
      stringAt(position - 1, 3, 'ACH') &&
      at(position + 2) !== 'I' &&
      (at(position + 2) !== 'E' || stringAt(position - 2, 6, 'BACHER', 'MACHER'))
    ) {
      add('K');
      return position + 2;
    }
    // 'caesar'.
    if (position === 0 && stringAt(position, 6, 'CAESAR')) {
      add('S');
      return position + 2;
    }
    // Italian 'chianti'.
    if (stringAt(position, 4, 'CHIA')) {
      add('K');
      return position + 2;
    }
    if (stringAt(position, 2, 'CH')) {
      // 'michael'.
      if (position > 0 && stringAt(position, 4, 'CHAE')) {
        add('K', 'X');
        return position + 2;
      }
      // Greek roots, e.g. 'chemistry', 'chorus'.
      if (
        position === 0 &&
        (stringAt(position + 1, 5, 'HARAC', 'HARIS') || stringAt(position + 1, 3, 'HOR', 'HYM', 'HIA', 'HEM')) &&
        !stringAt(0, 5, 'CHORE')
      ) {
        add('K');
        return position + 2;
      }
      // Germanic, Greek, or otherwise 'ch' for the 'kh' sound.
      if (
        germanic() ||
        // 'architect' but not 'arch', 'orchestra', 'orchid'.
        stringAt(position - 2, 6, 'ORCHES', 'ARCHIT', 'ORCHID') ||
        stringAt(position + 2, 1, 'T', 'S') ||
        // 'wachtler', 'wechsler', but not 'tichner'.
        ((stringAt(position - 1, 1, 'A', 'O', 'U', 'E') || position === 0) &&
          stringAt(position + 2, 1, 'L', 'R', 'N', 'M', 'B', 'H', 'F', 'V', 'W', ' '))
      ) {
        add('K');
      } else if (position > 0) {
        // 'McHugh'.
        if (stringAt(0, 2, 'MC')) add('K');
        else add('X', 'K');
      } else {
        add('X');
      }
      return position + 2;
    }
    // 'czerny'.
    if (stringAt(position, 2, 'CZ') && !stringAt(position - 2, 4, 'WICZ')) {
      add('S', 'X');
      return position + 2;
    }
    // 'focaccia'.
    if (stringAt(position + 1, 3, 'CIA')) {
      add('X');
      return position + 3;
    }
    // Double C, but not 'McClellan'.
    if (stringAt(position, 2, 'CC') && !(position === 1 && at(0) === 'M')) {
      // 'bellocchio' but not 'bacchus'.
      if (stringAt(position + 2, 1, 'I', 'E', 'H') && !stringAt(position + 2, 2, 'HU')) {
        // 'accident', 'accede', 'succeed'.
        if ((position === 1 && at(position - 1) === 'A') || stringAt(position - 1, 5, 'UCCEE', 'UCCES')) add('KS');
        // 'bacci', 'bertucci', other Italian.
        else add('X');
        return position + 3;
      }
      // Pierce's rule.
      add('K');
      return position + 2;
    }
    if (stringAt(position, 2, 'CK', 'CG', 'CQ')) {
      add('K');
      return position + 2;
    }
    if (stringAt(position, 2, 'CI', 'CE', 'CY')) {
      // Italian against English.
      if (stringAt(position, 3, 'CIO', 'CIE', 'CIA')) add('S', 'X');
      else add('S');
      return position + 2;
    }
    add('K');
    // 'mac caffrey', 'mac gregor'.
    if (stringAt(position + 1, 2, ' C', ' Q', ' G')) return position + 3;
    if (stringAt(position + 1, 1, 'C', 'K', 'Q') && !stringAt(position + 1, 2, 'CE', 'CI')) return position + 2;
    return position + 1;
  }

  function handleG(position: number): number {
    if (at(position + 1) === 'H') {
      if (position > 0 && !isVowel(position - 1)) {
        add('K');
        return position + 2;
      }
      // 'ghislane', 'ghiradelli'.
      if (position === 0) {
        add(at(position + 2) === 'I' ? 'J' : 'K');
        return position + 2;
      }
      // Parker's rule, e.g. 'hugh', 'bough', 'broughton'.
      if (
        (position > 1 && stringAt(position - 2, 1, 'B', 'H', 'D')) ||
        (position > 2 && stringAt(position - 3, 1, 'B', 'H', 'D')) ||
        (position > 3 && stringAt(position - 4, 1, 'B', 'H'))
      ) {
        return position + 2;
      }
      // 'laugh', 'McLaughlin', 'cough', 'gough', 'rough', 'tough'.
      if (position > 2 && at(position - 1) === 'U' && stringAt(position - 3, 1, 'C', 'G', 'L', 'R', 'T')) {
        add('F');
      } else if (position > 0 && at(position - 1) !== 'I') {
        add('K');
      }
      return position + 2;
    }
    if (at(position + 1) === 'N') {
      if (position === 1 && isVowel(0) && !slavoGermanic) {
        add('KN', 'N');
      } else if (!stringAt(position + 2, 2, 'EY') && at(position + 1) !== 'Y' && !slavoGermanic) {
        // Not e.g. 'cagney'.
        add('N', 'KN');
      } else {
        add('KN');
      }
      return position + 2;
    }
    // 'tagliaro'.
    if (stringAt(position + 1, 2, 'LI') && !slavoGermanic) {
      add('KL', 'L');
      return position + 2;
    }
    // -ges-, -gep-, -gel-, -gie- at the beginning.
    if (position === 0 && (at(position + 1) === 'Y' || stringAt(position + 1, 2, 'ES', 'EP', 'EB', 'EL', 'EY', 'IB', 'IL', 'IN', 'IE', 'EI', 'ER'))) {
      add('K', 'J');
      return position + 2;
    }
    // -ger-, -gy-.
    if (
      (stringAt(position + 1, 2, 'ER') || at(position + 1) === 'Y') &&
      !stringAt(0, 6, 'DANGER', 'RANGER', 'MANGER') &&
      !stringAt(position - 1, 1, 'E', 'I') &&
      !stringAt(position - 1, 3, 'RGY', 'OGY')
    ) {
      add('K', 'J');
      return position + 2;
    }
    // Italian, e.g. 'biaggi'.
    if (stringAt(position + 1, 1, 'E', 'I', 'Y') || stringAt(position - 1, 4, 'AGGI', 'OGGI')) {
      if (germanic() || stringAt(position + 1, 2, 'ET')) {
        // Obviously Germanic.
        add('K');
      } else if (stringAt(position + 1, 4, 'IER ')) {
        // Always soft with a French ending.
        add('J');
      } else {
        add('J', 'K');
      }
      return position + 2;
    }
    add('K');
    return position + (at(position + 1) === 'G' ? 2 : 1);
  }

  function handleJ(position: number): number {
    // Obviously Spanish: 'jose', 'san jacinto'.
    if (stringAt(position, 4, 'JOSE') || stringAt(0, 4, 'SAN ')) {
      if ((position === 0 && at(position + 4) === ' ') || stringAt(0, 4, 'SAN ')) add('H');
      else add('J', 'H');
      return position + 1;
    }
    if (position === 0 && !stringAt(position, 4, 'JOSE')) {
      // Yankelovich / Jankelowicz.
      add('J', 'A');
    } else if (isVowel(position - 1) && !slavoGermanic && (at(position + 1) === 'A' || at(position + 1) === 'O')) {
      // Spanish pronunciation of e.g. 'bajador'.
      add('J', 'H');
    } else if (position === last) {
      add('J', ' ');
    } else if (!stringAt(position + 1, 1, 'L', 'T', 'K', 'S', 'N', 'M', 'B', 'Z') && !stringAt(position - 1, 1, 'S', 'K', 'L')) {
      add('J');
    }
    return position + (at(position + 1) === 'J' ? 2 : 1);
  }

  function handleS(position: number): number {
    // 'island', 'isle', 'carlisle', 'carlysle'.
    if (stringAt(position - 1, 3, 'ISL', 'YSL')) return position + 1;
    // 'sugar-'.
    if (position === 0 && stringAt(position, 5, 'SUGAR')) {
      add('X', 'S');
      return position + 1;
    }
    if (stringAt(position, 2, 'SH')) {
      // Germanic.
      if (stringAt(position + 1, 4, 'HEIM', 'HOEK', 'HOLM', 'HOLZ')) add('S');
      else add('X');
      return position + 2;
    }
    // Italian and Armenian.
    if (stringAt(position, 3, 'SIO', 'SIA') || stringAt(position, 4, 'SIAN')) {
      if (!slavoGermanic) add('S', 'X');
      else add('S');
      return position + 3;
    }
    // German and anglicisations, e.g. 'smith' matching 'schmidt', 'snider' matching 'schneider';
    // also -sz- in Slavic languages, though Hungarian pronounces it 's'.
    if ((position === 0 && stringAt(position + 1, 1, 'M', 'N', 'L', 'W')) || stringAt(position + 1, 1, 'Z')) {
      add('S', 'X');
      return position + (stringAt(position + 1, 1, 'Z') ? 2 : 1);
    }
    if (stringAt(position, 2, 'SC')) {
      // Schlesinger's rule.
      if (at(position + 2) === 'H') {
        // Dutch origin, e.g. 'school', 'schooner'.
        if (stringAt(position + 3, 2, 'OO', 'ER', 'EN', 'UY', 'ED', 'EM')) {
          // 'schermerhorn', 'schenker'.
          if (stringAt(position + 3, 2, 'ER', 'EN')) add('X', 'SK');
          else add('SK');
          return position + 3;
        }
        if (position === 0 && !isVowel(3) && at(3) !== 'W') add('X', 'S');
        else add('X');
        return position + 3;
      }
      if (stringAt(position + 2, 1, 'I', 'E', 'Y')) {
        add('S');
        return position + 3;
      }
      add('SK');
      return position + 3;
    }
    // French, e.g. 'resnais', 'artois'.
    if (position === last && stringAt(position - 2, 2, 'AI', 'OI')) add('', 'S');
    else add('S');
    return position + (stringAt(position + 1, 1, 'S', 'Z') ? 2 : 1);
  }
}

/** True when the two words share a Double Metaphone code (primary or alternate, either way round). */
export function doubleMetaphoneMatch(a: DoubleMetaphoneCodes, b: DoubleMetaphoneCodes): boolean {
  return codesOverlap(a.primary, a.alternate, b.primary, b.alternate);
}

/** Overlap test on codes already computed; empty codes (words with nothing to sound) never match. */
export function codesOverlap(aPrimary: string, aAlternate: string, bPrimary: string, bAlternate: string): boolean {
  if (aPrimary !== '' && (aPrimary === bPrimary || aPrimary === bAlternate)) return true;
  if (aAlternate !== '' && (aAlternate === bPrimary || aAlternate === bAlternate)) return true;
  return false;
}

// Scratch buffers reused across calls: the metrics run once per candidate pair, and allocating
// fresh arrays each time dominates their cost for short names.
const byteScratch: Uint8Array[] = [new Uint8Array(64), new Uint8Array(64)];
const intScratch: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(256)];
const latinRows = new Int32Array(256);

function scratchBytes(slot: number, size: number): Uint8Array {
  let buffer = byteScratch[slot] as Uint8Array;
  if (buffer.length < size) {
    buffer = new Uint8Array(Math.max(size, buffer.length * 2));
    byteScratch[slot] = buffer;
  } else {
    buffer.fill(0, 0, size);
  }
  return buffer;
}

function scratchInts(slot: number, size: number): Int32Array {
  let buffer = intScratch[slot] as Int32Array;
  if (buffer.length < size) {
    buffer = new Int32Array(Math.max(size, buffer.length * 2));
    intScratch[slot] = buffer;
  }
  return buffer;
}
