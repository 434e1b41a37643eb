import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** Refresh this long before expiry for ordinary (hour-long) credentials. */
const MAX_REFRESH_MARGIN_MS = 5 * 60_000;
/** For short-lived credentials, refresh once this fraction of the lifetime remains. */
const REFRESH_MARGIN_FRACTION = 0.25;

export interface RefreshingProviderOptions {
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Caches credentials from `fetch` and fetches new ones before they expire, by a margin (5 minutes, or a quarter
 * of the lifetime for short-lived credentials), never at the failing request. Concurrent callers share one
 * in-flight fetch. If a refresh fails while the cached credentials are still valid, they keep being served and
 * the next call tries again, so a passing STS hiccup never fails a request. Credentials without an expiration
 * are fetched once.
 */
export function refreshingProvider(
  fetch: () => Promise<AwsCredentialIdentity>,
  options: RefreshingProviderOptions = {},
): AwsCredentialIdentityProvider {
  const now = options.now ?? Date.now;
  let cached: { identity: AwsCredentialIdentity; refreshAt: number; expiresAt: number } | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;

  const refresh = (): Promise<AwsCredentialIdentity> => {
    inFlight ??= (async () => {
      try {
        const fetchedAt = now();
        const identity = await fetch();
        const expiresAt = identity.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        const margin = Math.min(MAX_REFRESH_MARGIN_MS, (expiresAt - fetchedAt) * REFRESH_MARGIN_FRACTION);
        cached = { identity, expiresAt, refreshAt: expiresAt - margin };
        return identity;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return async () => {
    const current = cached;
    if (current && now() < current.refreshAt) return current.identity;
    if (!current || now() >= current.expiresAt) return refresh();
    try {
      return await refresh();
    } catch (error) {
      if (now() < current.expiresAt) return current.identity;
      throw error;
    }
  };
}
