/** Credentials the emulator issued, so its STS can check what clients sign with. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleArn: string;
  assumedRoleId: string;
  accountId: string;
  /** The role the session is of (arn:aws:iam::ACCOUNT:role/NAME). */
  roleArn: string;
  sourceIdentity: string;
  /** True for sessions from AssumeRole: role chaining caps what they may assume at 1 hour. */
  chained: boolean;
  /** What AssumeRole was given, echoed for tests (GET /_emulator/sessions/KEY on the STS port). */
  sessionPolicy?: string;
  policyArns?: string[];
  tags?: { key: string; value: string }[];
  transitiveTagKeys?: string[];
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function randomString(bytes: Buffer, alphabet: string): string {
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export function newAccessKeyId(random: (size: number) => Buffer): string {
  return `ASIA${randomString(random(16), KEY_ALPHABET)}`;
}

export function newSecret(random: (size: number) => Buffer): string {
  return random(30).toString('base64').replace(/[+/]/g, 'A').slice(0, 40);
}

export function newSessionToken(random: (size: number) => Buffer): string {
  return `IQoJb3JpZ2luX2VtdWxhdG9y${random(180).toString('base64')}`;
}

export class IssuedStore {
  private readonly byKey = new Map<string, IssuedCredentials>();
  private readonly limit: number;

  constructor(limit = 100_000) {
    this.limit = limit;
  }

  add(credentials: IssuedCredentials): void {
    if (this.byKey.size >= this.limit) {
      const oldest = this.byKey.keys().next().value;
      if (oldest !== undefined) this.byKey.delete(oldest);
    }
    this.byKey.set(credentials.accessKeyId, credentials);
  }

  get(accessKeyId: string): IssuedCredentials | undefined {
    return this.byKey.get(accessKeyId);
  }
}
