import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

/**
 * Direct Line credentials. The secret stays on servers; a token is bound to one
 * conversation and one user id and expires, so a browser holding it can read and write
 * that conversation and nothing else.
 */
const claimsSchema = z.object({ conv: z.string().min(1), user: z.string().min(1) });
export type TokenClaims = z.infer<typeof claimsSchema>;

const ISSUER = 'kefu-directline';

export type Credential = { kind: 'secret' } | ({ kind: 'token' } & TokenClaims) | { kind: 'expired' } | { kind: 'invalid' };

export class DirectLineTokens {
  constructor(
    private readonly secret: string,
    readonly ttlSeconds: number,
  ) {}

  issue(claims: TokenClaims): string {
    return jwt.sign(claims, this.secret, { algorithm: 'HS256', issuer: ISSUER, expiresIn: this.ttlSeconds, jwtid: crypto.randomUUID() });
  }

  /** Reads `Authorization: Bearer …` as the secret or a token. */
  check(authorization: string | undefined): Credential {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return { kind: 'invalid' };
    return this.read(match[1]);
  }

  read(credential: string): Credential {
    if (safeEqual(credential, this.secret)) return { kind: 'secret' };
    try {
      const payload = jwt.verify(credential, this.secret, { algorithms: ['HS256'], issuer: ISSUER });
      const claims = claimsSchema.safeParse(payload);
      return claims.success ? { kind: 'token', ...claims.data } : { kind: 'invalid' };
    } catch (error) {
      return error instanceof jwt.TokenExpiredError ? { kind: 'expired' } : { kind: 'invalid' };
    }
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
