// Prints the top self-time functions of V8 .cpuprofile files (what `node --cpu-prof` writes), as
// a share of all samples. Usage:
//   node bench/cpu-profile-summary.mjs [file.cpuprofile | dir] [top=20] [--all]
// With a directory (default node_modules/.cache/agentry-profile) it reads the newest profile
// there; with --all, every profile in it, and prints each function's mean share across them
// (with the range), which is steadier than one run on a shared machine.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2).filter((arg) => arg !== '--all');
const all = process.argv.includes('--all');
const target = args[0] ?? 'node_modules/.cache/agentry-profile';
const top = Number(args[1] ?? 20);

let files = [target];
if (statSync(target).isDirectory()) {
  files = readdirSync(target)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(target, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`No .cpuprofile in ${target}: run the profile first.`);
  if (!all) files = files.slice(0, 1);
}

// Self time: the sampled time of each node, attributed to its function (name + file + line).
function selfShares(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const deltas = profile.timeDeltas ?? [];
  const micros = new Map();
  let total = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    const { functionName, url, lineNumber } = nodes.get(profile.samples[index]).callFrame;
    const delta = deltas[index] ?? 0;
    total += delta;
    const key = `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
    micros.set(key, (micros.get(key) ?? 0) + delta);
  }
  return { total, shares: new Map([...micros].map(([key, value]) => [key, (value / total) * 100])) };
}

const profiles = files.map(selfShares);
const keys = new Set(profiles.flatMap(({ shares }) => [...shares.keys()]));
const rows = [...keys]
  .map((key) => {
    const values = profiles.map(({ shares }) => shares.get(key) ?? 0);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    return { key, mean, min: Math.min(...values), max: Math.max(...values) };
  })
  .sort((a, b) => b.mean - a.mean)
  .slice(0, top);

const seconds = profiles.map(({ total }) => (total / 1e6).toFixed(2)).join(', ');
console.log(
  `${files.length} profile(s) (${seconds} s sampled): ${files.map((file) => path.basename(file)).join(', ')}`,
);
console.log(files.length > 1 ? '| self % (mean) | range | function |' : '| self % | function |');
console.log(files.length > 1 ? '| ---: | ---: | --- |' : '| ---: | --- |');
for (const { key, mean, min, max } of rows) {
  const range = files.length > 1 ? ` ${min.toFixed(1)}–${max.toFixed(1)} |` : '';
  console.log(`| ${mean.toFixed(1)} |${range} \`${key}\` |`);
}
