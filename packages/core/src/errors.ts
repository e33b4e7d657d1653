/**
 * The one error type every iamra component throws. `code` is stable (users grep for it,
 * docs list it); `message` is one line that says what is wrong and how to fix it, and never
 * contains a secret.
 */

import { neutralizeForLog } from './text/untrusted.js';

/** What kind of failure it is; front ends map it to exit codes and annotations. */
export type ErrorCategory = 'input' | 'denied' | 'transient' | 'internal';

const CATEGORY_BY_CODE = {
  // Input: the user's files, flags or parameters are wrong.
  CONFIG_INVALID: 'input',
  FEATURE_UNSUPPORTED: 'input',
  INPUT_TOO_LARGE: 'input',
  FILE_UNREADABLE: 'input',
  PATH_UNSAFE: 'input',
  // A credential_process line that some AWS client would split differently (Windows: cmd.exe).
  COMMAND_LINE_UNSAFE: 'input',
  CERT_MISSING: 'input',
  CERT_MALFORMED: 'input',
  CERT_EXPIRED: 'input',
  CERT_NOT_YET_VALID: 'input',
  CERT_IS_CA: 'input',
  CERT_KEY_USAGE: 'input',
  CERT_WEAK_SIGNATURE: 'input',
  KEY_MISSING: 'input',
  KEY_MALFORMED: 'input',
  KEY_UNSUPPORTED: 'input',
  KEY_CERT_MISMATCH: 'input',
  PASSPHRASE_REQUIRED: 'input',
  PASSPHRASE_WRONG: 'input',
  PKCS12_MALFORMED: 'input',
  PKCS12_PASSWORD_WRONG: 'input',
  PKCS12_NO_KEY: 'input',
  PKCS12_NO_CERT: 'input',
  ARN_INVALID: 'input',
  ARN_MISMATCH: 'input',
  REGION_INVALID: 'input',
  DURATION_INVALID: 'input',
  SESSION_NAME_INVALID: 'input',
  ENDPOINT_INVALID: 'input',
  ACCOUNT_NOT_ALLOWED: 'input',
  PROFILE_CONFLICT: 'input',
  CHAIN_UNTRUSTED: 'input',
  ROLE_CHAIN_INVALID: 'input',
  // PKCS#11 (hardware keys): the token, its PIN or the URI naming the object.
  PKCS11_URI_INVALID: 'input',
  PKCS11_UNAVAILABLE: 'input',
  PKCS11_MODULE_NOT_FOUND: 'input',
  PKCS11_TOKEN_NOT_FOUND: 'input',
  PKCS11_PIN_REQUIRED: 'input',
  PKCS11_PIN_WRONG: 'input',
  PKCS11_PIN_LOCKED: 'input',
  PKCS11_OBJECT_NOT_FOUND: 'input',
  PKCS11_AMBIGUOUS: 'input',
  PKCS11_MECHANISM_UNSUPPORTED: 'input',
  PKCS11_FAILED: 'internal',
  // TPM 2.0 (hardware keys): the TPM, its key file or handle, and the key's password.
  TPM_UNAVAILABLE: 'input',
  TPM_KEY_INVALID: 'input',
  TPM_KEY_NOT_FOUND: 'input',
  TPM_KEY_UNUSABLE: 'input',
  TPM_PASSWORD_REQUIRED: 'input',
  TPM_PASSWORD_WRONG: 'input',
  TPM_LOCKOUT: 'input',
  TPM_FAILED: 'internal',
  // Denied: the service understood the request and said no.
  CREATE_SESSION_DENIED: 'denied',
  CREATE_SESSION_INVALID: 'denied',
  RESOURCE_NOT_FOUND: 'denied',
  TLS_UNTRUSTED: 'denied',
  TLS_CLIENT_CERT_REFUSED: 'denied',
  ACCOUNT_MISMATCH: 'denied',
  ASSUME_ROLE_DENIED: 'denied',
  ASSUME_ROLE_INVALID: 'denied',
  // Transient: worth retrying later; reported after the retry budget is spent.
  THROTTLED: 'transient',
  SERVICE_UNAVAILABLE: 'transient',
  NETWORK_ERROR: 'transient',
  TIMEOUT: 'transient',
  // The TPM had no room or asked to be asked again.
  TPM_BUSY: 'transient',
  // A signal (SIGTERM, SIGINT) stopped the request: never retried; the CLI exits 128 + signal.
  INTERRUPTED: 'transient',
  RESPONSE_INVALID: 'transient',
  // Internal: a bug or an environment we did not foresee.
  INTERNAL: 'internal',
  // Windows: a private file could not be restricted to the current user (icacls failed).
  FILE_ACL_FAILED: 'internal',
  // The GitHub Action outside a runner (no file-command file), or a value holding its heredoc delimiter.
  RUNNER_FILE_MISSING: 'internal',
  RUNNER_DELIMITER_IN_VALUE: 'internal',
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof CATEGORY_BY_CODE;

export const ERROR_CODES = Object.keys(CATEGORY_BY_CODE) as ErrorCode[];

/** Process exit codes shared by every front end, documented in the README. */
export const EXIT_CODES: Record<ErrorCategory | 'ok', number> = {
  ok: 0,
  internal: 1,
  input: 2,
  denied: 3,
  transient: 4,
};

export interface IamraErrorOptions {
  cause?: unknown;
  /** For service errors: the AWS error type, e.g. `AccessDeniedException`. */
  serviceCode?: string;
  /** For service errors: the request id the service returned, for support tickets. */
  requestId?: string;
  /** For service errors: the HTTP status. */
  statusCode?: number;
}

/**
 * Messages quote user input, certificate fields and service text: a message is one line that no
 * runner, agent or terminal acts on, whatever those hold (each quoted part is capped where it is
 * quoted; this cap only bounds the whole).
 */
const MESSAGE_MAX_LENGTH = 4096;

/** A brand shared by every copy of this module (two installed versions, a bundle beside the source). */
const BRAND = Symbol.for('iamra.IamraError');

export class IamraError extends Error {
  /** `instanceof` holds across copies of the package, so no error is misread as INTERNAL. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  readonly [BRAND] = true;
  override readonly name = 'IamraError';
  readonly code: ErrorCode;
  readonly serviceCode: string | undefined;
  readonly requestId: string | undefined;
  readonly statusCode: number | undefined;

  constructor(code: ErrorCode, message: string, options: IamraErrorOptions = {}) {
    super(
      neutralizeForLog(message, MESSAGE_MAX_LENGTH),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.serviceCode = options.serviceCode;
    this.requestId = options.requestId === undefined ? undefined : neutralizeForLog(options.requestId, 128);
    this.statusCode = options.statusCode;
  }

  get category(): ErrorCategory {
    return CATEGORY_BY_CODE[this.code];
  }

  get exitCode(): number {
    return EXIT_CODES[this.category];
  }

  /** The one line a user sees: `CODE: message` (plus the request id for service errors). */
  toLine(): string {
    const request = this.requestId ? ` (request id ${this.requestId})` : '';
    // Neutralised again: a subclass or a copy of another version may have set the message itself.
    return neutralizeForLog(`${this.code}: ${this.message}${request}`, MESSAGE_MAX_LENGTH * 2);
  }
}

export function isIamraError(value: unknown): value is IamraError {
  return value instanceof IamraError;
}

/**
 * Anything thrown becomes an IamraError: ours pass through, anything else is INTERNAL with
 * a generic message (a foreign error's message could quote input, so it is kept only as cause).
 */
export function toIamraError(value: unknown): IamraError {
  if (isIamraError(value)) return value;
  return new IamraError(
    'INTERNAL',
    'unexpected internal error; rerun with --debug and report it at the project issue tracker',
    { cause: value },
  );
}
