/** The one error type: codes, categories, exit codes, and the one line a user sees. */
import assert from 'node:assert/strict';
import { ERROR_CODES, EXIT_CODES, IamraError, isIamraError, toIamraError } from '@iamra/core';

describe('IamraError', () => {
  it('maps every code to a category with an exit code', () => {
    for (const code of ERROR_CODES) {
      const error = new IamraError(code, 'x');
      assert.ok(Object.hasOwn(EXIT_CODES, error.category), code);
      assert.equal(error.exitCode, EXIT_CODES[error.category]);
    }
    assert.equal(new IamraError('CONFIG_INVALID', 'x').exitCode, 2);
    assert.equal(new IamraError('CREATE_SESSION_DENIED', 'x').exitCode, 3);
    assert.equal(new IamraError('TIMEOUT', 'x').exitCode, 4);
    assert.equal(new IamraError('INTERNAL', 'x').exitCode, 1);
  });

  it('prints one line with the code, and the request id for service errors', () => {
    const plain = new IamraError('CONFIG_INVALID', 'bad input');
    assert.equal(plain.toLine(), 'CONFIG_INVALID: bad input');
    const service = new IamraError('CREATE_SESSION_DENIED', 'denied', {
      requestId: 'req-1\n::add-mask::x',
      serviceCode: 'AccessDeniedException',
      statusCode: 403,
    });
    assert.ok(!service.toLine().includes('\n'), 'the service-supplied request id is neutralised');
    assert.match(service.toLine(), /^CREATE_SESSION_DENIED: denied \(request id req-1/);
    assert.equal(service.statusCode, 403);
    assert.equal(service.serviceCode, 'AccessDeniedException');
  });

  it('neutralises a message that tries to speak to the runner', () => {
    const error = new IamraError('CONFIG_INVALID', 'line one\n::error::injected\r\u001b[31m');
    for (const text of [error.message, error.toLine()]) {
      for (const control of ['\r', '\n', '\u001b']) assert.ok(!text.includes(control), JSON.stringify(text));
    }
  });

  it('recognises a copy from another module instance by its brand', () => {
    const foreignCopy = Object.assign(new Error('x'), { [Symbol.for('iamra.IamraError')]: true });
    assert.ok(foreignCopy instanceof IamraError);
    assert.ok(isIamraError(foreignCopy));
    assert.ok(!isIamraError(new Error('x')));
    assert.ok(!isIamraError(null));
  });

  it('turns anything else into INTERNAL without quoting it, keeping it as cause', () => {
    const ours = new IamraError('TIMEOUT', 'slow');
    assert.equal(toIamraError(ours), ours);
    const foreign = new Error('secret-value in a foreign message');
    const wrapped = toIamraError(foreign);
    assert.equal(wrapped.code, 'INTERNAL');
    assert.equal(wrapped.cause, foreign);
    assert.ok(!wrapped.message.includes('secret-value'));
    assert.equal(toIamraError('a string').code, 'INTERNAL');
  });
});
