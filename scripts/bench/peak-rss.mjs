// Peak resident set size of a Node child process, two independent ways:
// 1. process.resourceUsage().maxRSS read in the child's 'exit' event, through an --import hook
//    (the kernel's high-water mark of the whole process; the program itself is not changed);
// 2. GNU time's "Maximum resident set size" (wait4 rusage of the child) when /usr/bin/time exists.
// Both count the whole process, V8 heap, code and native memory alike.
import { existsSync } from 'node:fs';
import { spawnChecked } from './spawn-timed.mjs';

const MARK = 'IAMRA_BENCH_MAXRSS_KB=';
export const RSS_HOOK = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\n${MARK}"+process.resourceUsage().maxRSS+"\\n"))`;
const GNU_TIME = '/usr/bin/time';

export function parseHookRssKb(stderr) {
  const match = new RegExp(`${MARK}(\\d+)`).exec(stderr);
  return match ? Number(match[1]) : undefined;
}

export function parseGnuTimeRssKb(stderr) {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match ? Number(match[1]) : undefined;
}

export const hasGnuTime = () => existsSync(GNU_TIME);

/** Peak RSS in MB of `node ...args` by the --import hook. */
export async function peakRssByHook(label, node, args, options, succeeded) {
  const result = await spawnChecked(label, node, ['--import', RSS_HOOK, ...args], options, succeeded);
  const kb = parseHookRssKb(result.stderr);
  if (kb === undefined) throw new Error(`${label}: the child did not report its peak RSS`);
  return kb / 1024;
}

/** Peak RSS in MB of `node ...args` by GNU time -v. */
export async function peakRssByGnuTime(label, node, args, options, succeeded) {
  const result = await spawnChecked(label, GNU_TIME, ['-v', node, ...args], options, succeeded);
  const kb = parseGnuTimeRssKb(result.stderr);
  if (kb === undefined) throw new Error(`${label}: GNU time printed no maximum resident set size`);
  return kb / 1024;
}
