import { describe, expect, test } from 'vitest';
import { checkCsvFile, columnLetter, CsvFileError, looksLikeFormula, parseCsv, snakeCase } from '../../src/domain/register/csv.ts';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../../src/domain/register/import-deletion-returns.ts';
import { deletionReturnSchema } from '../../src/domain/register/schemas.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function fileError(run: () => unknown): CsvFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvFileError) return error;
    throw error;
  }
  throw new Error('Expected a CsvFileError');
}

describe('parseCsv (RFC 4180)', () => {
  test('plain fields, LF and CRLF line ends, with line numbers', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: ['3', '4'] },
    ]);
  });

  test('quoted fields hold commas, doubled quotes and line breaks; the next record keeps its own line', () => {
    const records = parseCsv('name,note\r\n"Smith, Jo","said ""hello""\r\nthen left"\r\nLee,"x"\r\n');
    expect(records).toEqual([
      { line: 1, cells: ['name', 'note'] },
      { line: 2, cells: ['Smith, Jo', 'said "hello"\r\nthen left'] },
      { line: 4, cells: ['Lee', 'x'] },
    ]);
  });

  test('a byte order mark is dropped and blank lines are skipped, but empty fields are kept', () => {
    expect(parseCsv('\uFEFFa,b\n\n,\n""\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['', ''] },
      { line: 4, cells: [''] },
    ]);
  });

  test('an unclosed quote, text after a closing quote, and a stray quote are refused with the line', () => {
    expect(fileError(() => parseCsv('a\n"open\n\n'))).toMatchObject({ code: 'malformed', line: 2 });
    expect(fileError(() => parseCsv('a\n"x"y\n'))).toMatchObject({ code: 'malformed', line: 2 });
    expect(fileError(() => parseCsv('a\nb\nsa"y\n'))).toMatchObject({ code: 'malformed', line: 3 });
  });
});

describe('formula injection', () => {
  test.each(['=1+1', '@SUM(A1)', '\tx', '\rx', '+cmd', '-2+3', '-', ' =HYPERLINK("x")', '+44 7700 900123 =1', '-1e5'])('%j is refused', (cell) => {
    expect(looksLikeFormula(cell)).toBe(true);
  });
  test.each(['-1', '+3.5', '+44 7700 900123', '+447700900123', '01632 960 001', 'Smith-Jones', 'a=b', 'jo@example.com', ''])('%j is allowed', (cell) => {
    expect(looksLikeFormula(cell)).toBe(false);
  });
});

describe('checkCsvFile', () => {
  const columns = { required: ['pupilFirstName', 'ground'], optional: ['upn'] };

  test('maps snake_case, camelCase and spaced headers to fields and names columns as written', () => {
    const checked = checkCsvFile(bytes('Pupil First Name,GROUND,upn\r\nAda,f,\r\nBen,"a",X\r\n'), columns);
    expect(checked.headerFor).toEqual({ pupilFirstName: 'Pupil First Name', ground: 'GROUND', upn: 'upn' });
    expect(checked.rows).toEqual([
      { line: 2, values: { pupilFirstName: 'Ada', ground: 'f', upn: '' }, cellCountProblem: null },
      { line: 3, values: { pupilFirstName: 'Ben', ground: 'a', upn: 'X' }, cellCountProblem: null },
    ]);
    expect(checkCsvFile(bytes('pupil_first_name,ground\nAda,f\n'), columns).headerFor).toEqual({ pupilFirstName: 'pupil_first_name', ground: 'ground' });
  });

  test('a row with the wrong number of cells is a row problem, not a file problem', () => {
    const checked = checkCsvFile(bytes('pupil_first_name,ground\nAda\n'), columns);
    expect(checked.rows[0]!.cellCountProblem).toBe('The row has 1 value but the header has 2 columns');
  });

  test('missing, unknown and repeated columns refuse the file', () => {
    expect(fileError(() => checkCsvFile(bytes('pupil_first_name\nAda\n'), columns))).toMatchObject({ code: 'missing-columns', message: 'The file is missing the column ground' });
    expect(fileError(() => checkCsvFile(bytes('pupil_first_name,ground,shoe_size\nAda,f,5\n'), columns))).toMatchObject({ code: 'unknown-columns', column: 'shoe_size' });
    expect(fileError(() => checkCsvFile(bytes('pupil_first_name,ground,Ground\nAda,f,f\n'), columns))).toMatchObject({ code: 'duplicate-columns' });
  });

  test('a formula anywhere refuses the whole file, naming the line and column', () => {
    const error = fileError(() => checkCsvFile(bytes('pupil_first_name,ground\nAda,f\n"=HYPERLINK(""http://x"")",f\n'), columns));
    expect(error).toMatchObject({ code: 'formula', line: 3, column: 'pupil_first_name' });
    expect(error.message).toContain('line 3, column pupil_first_name');
    expect(fileError(() => checkCsvFile(bytes('pupil_first_name,ground,@x\nAda,f,1\n'), columns))).toMatchObject({ code: 'formula', line: 1 });
    expect(fileError(() => checkCsvFile(bytes('pupil_first_name,ground,\nAda,f,+x\n'), columns))).toMatchObject({ code: 'formula', line: 2, column: 'C' });
  });

  test('binary, not UTF-8, empty and too large files are refused', () => {
    expect(fileError(() => checkCsvFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]), columns)).code).toBe('binary');
    expect(fileError(() => checkCsvFile(new Uint8Array([...bytes('pupil_first_name,ground\nJos'), 0xe9, ...bytes(',f\n')]), columns))).toMatchObject({ code: 'not-utf8', message: expect.stringContaining('UTF-8') });
    expect(fileError(() => checkCsvFile(new Uint8Array(), columns)).code).toBe('empty');
    expect(fileError(() => checkCsvFile(bytes('pupil_first_name,ground\n'), columns)).code).toBe('empty');
    const big = bytes(`pupil_first_name,ground\n${'Ada,f\n'.repeat(200)}`);
    expect(fileError(() => checkCsvFile(big, columns, { maxBytes: 1024 }))).toMatchObject({ code: 'too-large', message: 'The selected file must be smaller than 1KB' });
    expect(() => checkCsvFile(big, columns)).not.toThrow();
  });
});

describe('deletion return columns', () => {
  test('cover every field of the schema, with school_urn handled by who is importing', () => {
    expect([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS, 'schoolUrn'].sort()).toEqual(Object.keys(deletionReturnSchema.shape).sort());
  });
  test('snake_case and column letters', () => {
    expect(snakeCase('parentAddressLine1')).toBe('parent_address_line_1');
    expect(snakeCase('pupilDateOfBirth')).toBe('pupil_date_of_birth');
    expect([1, 26, 27, 52, 53].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA']);
  });
});
