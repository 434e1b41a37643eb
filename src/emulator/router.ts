/** Sends each request to its front end: control API, SSO portal, STS (an Action on "/"), else Bedrock Runtime. */
import { handleBedrock } from "./bedrock-handler.js";
import { CONTROL_PREFIX, handleControl } from "./control.js";
import { handleControlPlane, isControlPlaneRequest } from "./control-plane.js";
import {
  BodyTooLargeError,
  type Exchange,
  type RequestSource,
  type ResponseSink,
  readExchange,
  sendJson,
} from "./exchange.js";
import { handleSso, SSO_CREDENTIALS_PATH } from "./sso.js";
import type { EmulatorState } from "./state.js";
import { handleSts, isStsRequest } from "./sts.js";

async function route(ex: Exchange, state: EmulatorState): Promise<void> {
  if (ex.rawPath.startsWith(CONTROL_PREFIX)) return handleControl(ex, state);
  if (ex.rawPath === SSO_CREDENTIALS_PATH) return handleSso(ex, state);
  if (isStsRequest(ex)) return handleSts(ex, state);
  if (isControlPlaneRequest(ex)) return handleControlPlane(ex, state);
  return handleBedrock(ex, state);
}

/** The request listener shared by the HTTP/1.1 and HTTP/2 servers. Never throws: failures become a 500. */
export function createRequestHandler(state: EmulatorState): (req: RequestSource, res: ResponseSink) => void {
  return (req, res) => {
    readExchange(req, res)
      .then((ex) => route(ex, state))
      .catch((error: unknown) => {
        if (error instanceof BodyTooLargeError) {
          sendJson(res, 413, { message: error.message }, { "x-amzn-ErrorType": "ValidationException" });
          return;
        }
        process.stderr.write(`bedrock emulator: ${error instanceof Error ? error.stack : String(error)}\n`);
        sendJson(res, 500, { message: "Internal emulator error" }, { "x-amzn-ErrorType": "InternalServerException" });
      });
  };
}
