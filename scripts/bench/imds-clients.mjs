#!/usr/bin/env node
// N concurrent AWS SDK for JavaScript v3 clients, each resolving credentials from the IMDSv2
// endpoint in AWS_EC2_METADATA_SERVICE_ENDPOINT over and over (a fresh fromInstanceMetadata
// provider per resolution: token, role name, credentials, as a starting SDK client does), for
// a fixed time. Prints one JSON line: resolutions completed, seconds, each one's latency in ms.
//   node scripts/bench/imds-clients.mjs DURATION_MS CONCURRENCY
import { performance } from 'node:perf_hooks';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';

const [durationMs, concurrency] = process.argv.slice(2).map(Number);
const latencies = [];
let failures = 0;
const until = performance.now() + durationMs;
const start = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const begun = performance.now();
      try {
        const credentials = await fromInstanceMetadata({ timeout: 5000, maxRetries: 0 })();
        if (!credentials.sessionToken) throw new Error('no session token');
        latencies.push(performance.now() - begun);
      } catch {
        failures += 1;
      }
    }
  }),
);
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, failures, latencies }));
