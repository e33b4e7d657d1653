/**
 * FIPS endpoints: --use-fips-endpoint or AWS_USE_FIPS_ENDPOINT=true sends CreateSession to
 * rolesanywhere-fips.REGION; a custom --endpoint wins. Seen in --debug's canonical request, with
 * the request itself sent to a proxy that is not there (nothing leaves this machine).
 */
import assert from 'node:assert/strict';
import { runCli } from '../../../test/support/cli-run.js';
import { leafFlags, makePki } from '../../../test/support/pki.js';
import { main } from '../src/index.js';

const TA = 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f';
const PROFILE = 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const ROLE = 'arn:aws:iam::111122223333:role/deploy';

describe('FIPS endpoints', function () {
  this.timeout(30_000);
  const pki = makePki({ subjectPrefix: 'fips' });
  const nowhere = { HTTPS_PROXY: 'http://127.0.0.1:1' };
  const call = (extra: string[], env: Record<string, string> = {}) =>
    runCli(
      main,
      [
        'credential-process',
        ...leafFlags(pki.ecLeaf, pki.intermediate),
        ...['--trust-anchor-arn', TA, '--profile-arn', PROFILE, '--role-arn', ROLE],
        ...['--no-cache', '--retry-max-attempts', '1', '--debug'],
        ...extra,
      ],
      { ...nowhere, ...env },
    );
  const host = (stderr: string) => /^host:(\S+)$/m.exec(stderr)?.[1];

  it('--use-fips-endpoint and AWS_USE_FIPS_ENDPOINT=true go to rolesanywhere-fips', async () => {
    for (const [extra, env] of [
      [['--use-fips-endpoint'], {}],
      [[], { AWS_USE_FIPS_ENDPOINT: 'true' }],
      [[], { AWS_USE_FIPS_ENDPOINT: 'TRUE' }],
    ] as const) {
      const result = await call([...extra], env);
      assert.equal(result.exitCode, 4, result.stderr);
      assert.equal(host(result.stderr), 'rolesanywhere-fips.eu-west-1.amazonaws.com');
    }
  });

  it('without them, or with a custom --endpoint, the usual endpoint', async () => {
    assert.equal(
      host((await call([], { AWS_USE_FIPS_ENDPOINT: 'false' })).stderr),
      'rolesanywhere.eu-west-1.amazonaws.com',
    );
    const custom = await call(['--use-fips-endpoint', '--endpoint', 'https://rolesanywhere.example.test']);
    assert.equal(host(custom.stderr), 'rolesanywhere.example.test');
  });

  it('refuses an AWS_USE_FIPS_ENDPOINT that is neither true nor false', async () => {
    const result = await call([], { AWS_USE_FIPS_ENDPOINT: 'yes' });
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^iamra: CONFIG_INVALID: AWS_USE_FIPS_ENDPOINT must be true or false; got 'yes'/);
  });
});
