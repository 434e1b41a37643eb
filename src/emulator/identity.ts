/** The emulator's built-in AWS world: one account, one IAM user with a fixed key pair, one Bedrock API key. */

export const BUILTIN_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const BUILTIN_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
export const BUILTIN_ACCOUNT_ID = "123456789012";
export const BUILTIN_USER_ARN = `arn:aws:iam::${BUILTIN_ACCOUNT_ID}:user/emulator`;
/** IAM user ids start with AIDA. */
export const BUILTIN_USER_ID = "AIDAEMULATORUSER00001";
/** A Bedrock API key the emulator accepts out of the box (Authorization: Bearer ...). */
export const BUILTIN_BEDROCK_API_KEY = "ABSKZW11bGF0b3I6ZXhhbXBsZS1iZWRyb2NrLWFwaS1rZXk=";
/** accessKeyId reported for callers authenticated with a Bedrock API key. */
export const BEARER_ACCESS_KEY_ID = "bearer";

/** Who made a request, once authenticated. */
export interface Caller {
  accessKeyId: string;
  accountId: string;
  arn: string;
  userId: string;
  authType: "sigv4" | "bearer";
}

export const BUILTIN_CALLER: Caller = {
  accessKeyId: BUILTIN_ACCESS_KEY_ID,
  accountId: BUILTIN_ACCOUNT_ID,
  arn: BUILTIN_USER_ARN,
  userId: BUILTIN_USER_ID,
  authType: "sigv4",
};
