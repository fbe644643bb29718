import { createHash, timingSafeEqual } from 'node:crypto';

/** A user name and password for HTTP Basic authentication. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Whether an `Authorization` header carries exactly these Basic credentials. */
export function checkBasicAuth(header: string | undefined, expected: BasicCredentials): boolean {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'base64').toString('utf8');
  // Hashing first gives equal lengths, so the comparison leaks neither content nor length.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(`${expected.username}:${expected.password}`));
}
