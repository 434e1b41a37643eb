/** The SSO portal's GetRoleCredentials (GET /federation/credentials), as the SDK's SSO credential provider calls it. */
import { BEDROCK_ERRORS } from "./bedrock-errors.js";
import { issueRoleCredentials } from "./credentials.js";
import { type Exchange, sendJson } from "./exchange.js";
import { delay, takeFault } from "./faults.js";
import { recordRequest } from "./recorder.js";
import type { EmulatorState } from "./state.js";

export const SSO_CREDENTIALS_PATH = "/federation/credentials";

const ACCOUNT_ID = /^\d{12}$/;

function sendSsoError(ex: Exchange, status: number, errorName: string, message: string): number {
  sendJson(ex.res, status, { message }, { "x-amzn-ErrorType": errorName });
  return status;
}

export async function handleSso(ex: Exchange, state: EmulatorState): Promise<void> {
  const accountId = ex.query.get("account_id") ?? "";
  const roleName = ex.query.get("role_name") ?? "";
  const token = ex.headers["x-amz-sso_bearer_token"];
  const record = recordRequest(state, {
    operation: "GetRoleCredentials",
    authType: token ? "bearer" : "none",
    httpVersion: ex.httpVersion,
    path: ex.rawPath,
    body: { accountId, roleName },
  });
  record.status = await respond(ex, state, accountId, roleName, token);
}

async function respond(
  ex: Exchange,
  state: EmulatorState,
  accountId: string,
  roleName: string,
  token?: string,
): Promise<number> {
  if (ex.method !== "GET") return sendSsoError(ex, 404, "UnknownOperationException", "Unknown operation");
  const fault = takeFault(state, "GetRoleCredentials");
  if (fault?.delayMs) await delay(fault.delayMs);
  if (fault?.error) {
    // The portal says TooManyRequestsException where Bedrock says ThrottlingException.
    const name = fault.error === "ThrottlingException" ? "TooManyRequestsException" : fault.error;
    const spec = BEDROCK_ERRORS[fault.error];
    return sendSsoError(ex, spec?.status ?? 400, name, fault.message ?? spec?.message ?? name);
  }
  if (!token || state.invalidSsoTokens.has(token)) {
    return sendSsoError(ex, 401, "UnauthorizedException", "Session token not found or invalid");
  }
  if (!ACCOUNT_ID.test(accountId) || !roleName) {
    return sendSsoError(ex, 400, "InvalidRequestException", "account_id and role_name are required");
  }
  const credentials = issueRoleCredentials(state, { accountId, roleName, sessionName: "emulator-sso" });
  sendJson(ex.res, 200, {
    roleCredentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiration: credentials.expiresAt,
    },
  });
  return 200;
}
