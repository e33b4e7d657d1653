// The emulator itself: how long one CreateSession takes it with one client at a time (the part
// of every step time above that is the emulator's, not iamra's), and its throughput with 8
// concurrent clients. In process, signing included.
import { performance } from 'node:perf_hooks';
import { printFigure } from '../report-console.mjs';
import { summarize } from '../stats.mjs';

export const ids = ['emulator'];
export const needs = [];

export async function run(ctx) {
  const core = ctx.core;
  const { material } = await core.loadSigningMaterial(
    {
      certificate: ctx.pem(ctx.pki.ec.certificate),
      privateKey: ctx.pem(ctx.pki.ec.privateKey),
      intermediates: [ctx.pem(ctx.pki.ec.chain)],
    },
    { now: new Date() },
  );
  const params = core.resolveSessionParameters({
    trustAnchorArn: ctx.emulator.trustAnchorArns[0],
    profileArn: ctx.emulator.profileArn,
    roleArn: ctx.emulator.roleArns[0],
  });
  const transport = core.createNodeTransport({ proxy: 'none' });
  const once = async () => {
    const signed = await core.signCreateSession({
      material,
      params,
      endpoint: ctx.emulator.endpoint,
      date: new Date(),
    });
    const start = performance.now();
    const response = await transport({ ...signed, timeoutMs: 5000 });
    if (response.status !== 201) throw new Error(`emulator answered ${response.status}`);
    return performance.now() - start;
  };
  const sequential = [];
  for (let i = 0; i < (ctx.quick ? 20 : 60); i += 1) sequential.push(await once());
  printFigure(
    ctx.record({
      id: 'emulator',
      kind: 'latency',
      name: 'Emulator CreateSession round trip, 1 client (loopback, verification included)',
      latency: summarize(sequential.slice(3)),
      command: 'signCreateSession + POST /sessions to the emulator, one at a time (timer around the HTTP call only)',
      reproduce: 'npm run bench -- --only=emulator',
    }),
  );
  const rates = [];
  for (let round = 0; round < (ctx.quick ? 2 : 4); round += 1) {
    let count = 0;
    const until = performance.now() + 750;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < until) {
          await once();
          count += 1;
        }
      }),
    );
    rates.push(count / ((performance.now() - start) / 1000));
  }
  printFigure(
    ctx.record({
      id: 'emulator',
      kind: 'rate',
      name: 'Emulator CreateSession throughput, 8 concurrent clients',
      rate: summarize(rates),
      command: '8 in-process clients: signCreateSession + POST /sessions in a loop, rounds of 0.75 s',
      reproduce: 'npm run bench -- --only=emulator',
    }),
  );
}
