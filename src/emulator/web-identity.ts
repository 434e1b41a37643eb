/** Reads the claims of a JWT-shaped web identity token (three base64url parts); signatures are not checked. */

export interface WebIdentityClaims {
  sub?: string;
  aud?: string;
  iss?: string;
  /** Epoch seconds. */
  exp?: number;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

/** The token's claims, or undefined when it is not a JWT. */
export function readJwtClaims(token: string): WebIdentityClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return undefined;
  try {
    const header = decodePart(parts[0] as string);
    const payload = decodePart(parts[1] as string);
    if (typeof header !== "object" || header === null || typeof payload !== "object" || payload === null) {
      return undefined;
    }
    const claims = payload as Record<string, unknown>;
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    return {
      ...(typeof claims.sub === "string" ? { sub: claims.sub } : {}),
      ...(typeof aud === "string" ? { aud } : {}),
      ...(typeof claims.iss === "string" ? { iss: claims.iss } : {}),
      ...(typeof claims.exp === "number" ? { exp: claims.exp } : {}),
    };
  } catch {
    return undefined;
  }
}
