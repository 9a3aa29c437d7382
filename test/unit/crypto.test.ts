/** Field-level encryption of personal data (issue 7.2), with the local runtime's file key. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fieldCipher, isSealed, newKeyFileContents } from '../../shared/crypto.ts';

const dir = mkdtempSync(join(tmpdir(), 'doudi-crypto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, newKeyFileContents());
  return path;
};

describe('field encryption', () => {
  it('seals values of any JSON type and opens them again; plain values pass through open', async () => {
    process.env.FIELD_KEY_FILE = keyFile('a');
    const cipher = fieldCipher();
    for (const value of ['430121198001010117', 2, null, true, { grade: 1 }]) {
      const sealed = await cipher.seal(value);
      expect(isSealed(sealed)).toBe(true);
      if (typeof value === 'string') expect(sealed).not.toContain(value);
      expect(await cipher.open(sealed)).toEqual(value);
    }
    expect(await cipher.open('plain')).toBe('plain');
  });

  it('uses a fresh IV per field: the same value seals differently', async () => {
    process.env.FIELD_KEY_FILE = keyFile('b');
    const cipher = fieldCipher();
    expect(await cipher.seal('x')).not.toBe(await cipher.seal('x'));
  });

  it('refuses ciphertext that was tampered with or sealed under another master key', async () => {
    process.env.FIELD_KEY_FILE = keyFile('c');
    const sealed = await fieldCipher().seal('430121198001010117');
    const flipped = `${sealed.slice(0, -3)}${sealed.at(-3) === 'A' ? 'B' : 'A'}${sealed.slice(-2)}`;
    await expect(fieldCipher().open(flipped as typeof sealed)).rejects.toThrow();
    process.env.FIELD_KEY_FILE = keyFile('d');
    await expect(fieldCipher().open(sealed)).rejects.toThrow();
  });

  it('says which setting is missing when there is no key', () => {
    delete process.env.FIELD_KEY_FILE;
    delete process.env.FIELD_KMS_KEY_ID;
    expect(() => fieldCipher()).toThrow(/FIELD_KMS_KEY_ID|FIELD_KEY_FILE/);
  });
});

describe('blind index', () => {
  it('is stable for one key, differs between keys, and does not contain the ID number', async () => {
    const { blindIndex } = await import('../../shared/crypto.ts');
    process.env.FIELD_KEY_FILE = keyFile('e');
    const a = await blindIndex('43012119800101011x');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await blindIndex('43012119800101011X')).toBe(a);
    expect(await blindIndex('430121198001010125')).not.toBe(a);
    process.env.FIELD_KEY_FILE = keyFile('f');
    expect(await blindIndex('43012119800101011X')).not.toBe(a);
  });
});
