import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, short: a package, a source file of the project, a node: module, or native code. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1] as string;
  const own = /\/((?:shared|functions)\/(?:src|bench)\/.+)$/.exec(url);
  if (own) return own[1] as string;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
}

interface Entry {
  label: string;
  ms: number;
}

function top(totals: Map<string, number>, count: number): Entry[] {
  return [...totals.entries()]
    .map(([label, us]) => ({ label, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): busy time, and the functions and areas (package,
 * project file, native) with the most self time.
 */
export function summarizeProfile(path: string, count = 15): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      return;
    }
    const area = areaOf(url, functionName);
    const label = `${functionName || '(anonymous)'}  ${url ? `${area}:${lineNumber + 1}` : area}`;
    functions.set(label, (functions.get(label) ?? 0) + us);
    areas.set(area, (areas.get(area) ?? 0) + us);
  });
  const busy = total - idle;
  const line = (e: Entry) =>
    `  ${e.ms.toFixed(0).padStart(8)} ms ${((e.ms * 100000) / Math.max(busy, 1)).toFixed(1).padStart(5)} %  ${e.label}`;
  return [
    `Busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled. Self time by function:`,
    ...top(functions, count).map(line),
    'By area:',
    ...top(areas, count).map(line),
  ].join('\n');
}
