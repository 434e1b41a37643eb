/**
 * aws_web_identity_token holds either the token itself or the path of a file holding it. Opaque OAuth tokens may
 * contain "/" (and "~"), so a "/" alone does not make a path. The rule (docs/AUTH.md), decided once when the
 * configuration is used:
 *   1. a value without "/" or "\" is the token (every JWT is such a value);
 *   2. a value naming an existing file ("~/" meaning the home directory) is a token file;
 *   3. a value shaped like a path, starting with "/", "~/", "./", "../", "\\" or a drive letter ("C:\", "C:/"),
 *      is a token file even when it does not exist (yet), so that a wrong path is reported as such;
 *   4. anything else, e.g. "ya29.a0Af/Xy+z==" or a relative "dir/file" that does not exist, is the token.
 * Auth and redaction share this function, so a value is either shown (a path) or hidden (a token) everywhere.
 */
import { statSync } from "node:fs";
import { expandHomePath } from "./aws-shared-files.js";

const PATH_SHAPE = /^(?:~?\/|\.\.?[/\\]|\\\\|[A-Za-z]:[/\\])/;

/** The token file's path ("~/" expanded) when the value names one; undefined when the value is the token. */
export function webIdentityTokenFile(value: string): string | undefined {
  if (!/[/\\]/.test(value)) return undefined;
  const path = expandHomePath(value);
  return isFile(path) || PATH_SHAPE.test(value) ? path : undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
