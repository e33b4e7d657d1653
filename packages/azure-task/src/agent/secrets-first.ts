/**
 * Secrets the agent hands a step, found in the environment before azure-pipelines-task-lib loads.
 * task-lib moves them into its vault on load and then echoes values in `task.debug` lines
 * (getInput, getVariable, getEndpointAuthorizationParameter, getSecureFileTicket, and its own
 * proxy and client-certificate set-up while loading), so each is masked first, line by line.
 */
import { isPkcs11Uri, PKCS11_PIN_ENV, parsePkcs11Uri, secretLines } from '@iamra/core/light';

/** Inputs whose values are secrets. */
export const SECRET_INPUTS = ['privateKeyPassphrase', 'pkcs12Password', 'pkcs11Pin'];

/** Inputs holding pkcs11: URIs: not secret themselves, but a pin-value written in one is. */
const URI_INPUT_KEYS = ['INPUT_PKCS11CERTIFICATE', 'INPUT_PKCS11PRIVATEKEY'];

/** A pin-value as written and as decoded; never throws (a malformed URI is reported later). */
function pinValues(uri: string | undefined): string[] {
  if (!isPkcs11Uri(uri)) return [];
  const written = [...uri.matchAll(/[?&]pin-value=([^&]*)/gi)].map((match) => match[1] ?? '');
  try {
    return [...written, parsePkcs11Uri(uri).pinValue ?? ''];
  } catch {
    return written;
  }
}

/** Service-connection parameters that are not secret (an ARN in a log is useful, not a leak). */
const PUBLIC_CONNECTION_PARAMETERS = new Set(['CERTIFICATE', 'TRUSTANCHORARN', 'PROFILEARN', 'ROLEARN', 'REGION']);

const SECRET_INPUT_KEYS = new Set(SECRET_INPUTS.map((name) => `INPUT_${name.toUpperCase()}`));

/** `ENDPOINT_AUTH_<id>` is JSON: `{"parameters":{…},"scheme":…}`. */
function authParameters(json: string): [string, string][] {
  try {
    const parsed = JSON.parse(json) as { parameters?: Record<string, unknown> };
    return Object.entries(parsed.parameters ?? {}).filter((entry): entry is [string, string] => {
      return typeof entry[1] === 'string';
    });
  } catch {
    return [];
  }
}

function isPublicParameter(name: string): boolean {
  return PUBLIC_CONNECTION_PARAMETERS.has(name.toUpperCase());
}

/** Every secret value in the step's environment, as the lines the agent can mask. */
export function stepSecrets(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [env[PKCS11_PIN_ENV] ?? '', ...URI_INPUT_KEYS.flatMap((name) => pinValues(env[name]))];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_INPUT_KEYS.has(name) || name.startsWith('SECRET_') || name.startsWith('SECUREFILE_TICKET_')) {
      values.push(value);
    } else if (name.startsWith('ENDPOINT_AUTH_PARAMETER_')) {
      if (!isPublicParameter(name.split('_').pop() ?? '')) values.push(value);
    } else if (name.startsWith('ENDPOINT_AUTH_') && !name.startsWith('ENDPOINT_AUTH_SCHEME_')) {
      // The whole JSON (task-lib quotes it when it cannot parse it), and each secret parameter.
      values.push(value);
      for (const [parameter, text] of authParameters(value)) if (!isPublicParameter(parameter)) values.push(text);
    }
  }
  // The agent masks one line at a time: a multi-line value is masked line by line.
  return [...new Set(values.flatMap(secretLines).filter((line) => !/[\r\n]/.test(line)))];
}
