import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The private signing key the embedded identity provider uses for ID tokens. */
export interface SigningJwk {
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  use: 'sig';
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
}

export interface SigningJwks {
  keys: SigningJwk[];
}

export const JWKS_FILE_NAME = 'idp-jwks.json';

const RSA_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSigningJwk(value: unknown): value is SigningJwk {
  if (!isRecord(value)) return false;
  if (value['kty'] !== 'RSA' || value['alg'] !== 'RS256' || value['use'] !== 'sig') return false;
  if (typeof value['kid'] !== 'string' || value['kid'] === '') return false;
  return RSA_MEMBERS.every((member) => typeof value[member] === 'string' && value[member] !== '');
}

function requireMember(jwk: JsonWebKey, member: (typeof RSA_MEMBERS)[number]): string {
  const value = jwk[member];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`Generated RSA key is missing its "${member}" member`);
  }
  return value;
}

/**
 * Makes a fresh RS256 key. The key id is the RFC 7638 thumbprint, so the same key always carries
 * the same id and relying parties that cached the key set keep matching it.
 */
export function generateSigningJwk(): SigningJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const exported = privateKey.export({ format: 'jwk' });
  const n = requireMember(exported, 'n');
  const e = requireMember(exported, 'e');
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
  return {
    kty: 'RSA',
    kid: thumbprint,
    alg: 'RS256',
    use: 'sig',
    n,
    e,
    d: requireMember(exported, 'd'),
    p: requireMember(exported, 'p'),
    q: requireMember(exported, 'q'),
    dp: requireMember(exported, 'dp'),
    dq: requireMember(exported, 'dq'),
    qi: requireMember(exported, 'qi'),
  };
}

/**
 * Loads the provider's signing keys from `dataDir`, creating them on first run, so ID tokens and
 * sessions issued before a restart still verify afterwards. With no data directory the keys live
 * only as long as the process.
 */
export async function loadOrCreateSigningKeys(dataDir: string | null): Promise<SigningJwks> {
  if (dataDir === null) {
    return { keys: [generateSigningJwk()] };
  }

  const file = path.join(dataDir, JWKS_FILE_NAME);
  let raw: string | null = null;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error: unknown) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }

  if (raw !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (cause: unknown) {
      throw new Error(`${file} is not valid JSON; delete it to generate new signing keys`, { cause });
    }
    const keys = isRecord(parsed) ? parsed['keys'] : undefined;
    if (!Array.isArray(keys) || keys.length === 0 || !keys.every(isSigningJwk)) {
      throw new Error(`${file} does not hold RS256 signing keys; delete it to generate new ones`);
    }
    return { keys };
  }

  const jwks: SigningJwks = { keys: [generateSigningJwk()] };
  await mkdir(dataDir, { recursive: true });
  // Write then rename, so a crash part-way never leaves a half-written key file behind.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(jwks, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return jwks;
}
