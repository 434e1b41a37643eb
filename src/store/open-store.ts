/**
 * Opens the configured GatewayStore: Redis when [server.store] url is set, else the embedded SQLite file. Each
 * implementation is imported only when it is opened, so a gateway without keys or limits (and every library
 * user) never loads better-sqlite3 or the Redis client.
 */
import type { ServerConfig } from "../config/types.js";
import type { GatewayStore } from "./gateway-store.js";

export const STORE_PASSWORD_ENV = "BEDROCK_LLM_STORE_PASSWORD";

export async function openGatewayStore(
  config: ServerConfig["store"],
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayStore> {
  if (config.url !== undefined) {
    const { openRedisStore } = await import("./redis-store.js");
    const password = config.password ?? env[STORE_PASSWORD_ENV];
    return openRedisStore({
      url: config.url,
      prefix: config.key_prefix,
      ...(config.username !== undefined && { username: config.username }),
      ...(password !== undefined && password !== "" && { password }),
      ...(config.tls !== undefined && { tls: config.tls }),
      ...(config.tls_ca_file !== undefined && { tlsCaFile: config.tls_ca_file }),
    });
  }
  const { openSqliteStore } = await import("./sqlite-store.js");
  return openSqliteStore(config.path);
}
