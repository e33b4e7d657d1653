/** `iamra credential-process`: prints the JSON the AWS CLI and SDKs read. */
import { toCredentialProcessJson } from '@iamra/core';
import { parseFlags, renderHelp } from '../args.js';
import { CREDENTIAL_FLAGS } from '../config/flags.js';
import type { Command } from './command.js';
import { commandContext } from './context.js';

export const credentialProcessCommand: Command = {
  name: 'credential-process',
  summary: 'print credentials in the credential_process format (cached until 5 minutes before expiry)',
  help: () =>
    renderHelp(
      'iamra credential-process --certificate FILE --private-key FILE --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN [options]',
      'Signs a CreateSession request with the certificate and prints {"Version":1,...} for a credential_process profile.\nPassphrases: IAMRA_PRIVATE_KEY_PASSPHRASE / IAMRA_PKCS12_PASSWORD or the --...-file flags, never argv.',
      CREDENTIAL_FLAGS,
    ),
  async run(argv, io) {
    const flags = parseFlags('credential-process', argv, CREDENTIAL_FLAGS);
    const { getCredentials } = await commandContext(flags, io, io.credentialConfig);
    const credentials = await getCredentials();
    io.stdout.write(`${toCredentialProcessJson(credentials)}\n`);
    return 0;
  },
};
