// npm run bench: the SDK against PyTorch on the same machine, case by case. Each case runs the SDK worker
// and its PyTorch twin as separate processes, alternating (SDK, PyTorch, SDK, PyTorch, ...), and reports
// medians and the ratio SDK/PyTorch. PyTorch gets as many threads as the SDK's backend uses.
// Prints one markdown table and writes bench/results/<timestamp>.json.
//   node bench/run.mjs [--quick] [--rounds N] [--only PATTERN]
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, transformerStepFlops } from './cases.mjs';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const resultsDir = join(root, 'bench', 'results');
const PYTHON = '/usr/bin/python3'; // Debian's python3-torch; the python3 on PATH may lack torch
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = Number(args[args.indexOf('--rounds') + 1]) || (quick ? 1 : 3);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs one worker; returns its BENCH_RESULT object or {error}. */
function runWorker(kind, script, c, extra = [], timeoutSec = 600) {
  const caseArg = JSON.stringify(c);
  const cmd = kind === 'sdk' ? process.execPath : PYTHON;
  const argv = kind === 'sdk' ? ['--import', 'tsx', join(root, 'bench', script), '--case', caseArg, ...extra] : [join(root, 'bench', 'pytorch', script), '--case', caseArg, ...extra];
  // torch.set_num_threads does not bound OpenBLAS's own pool: without these, PyTorch's matmuls use both cores.
  const threads = extra.includes('--threads') ? String(extra[extra.indexOf('--threads') + 1]) : '1';
  const blasThreads = kind === 'sdk' ? {} : { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutSec * 1000,
    maxBuffer: 1 << 26,
    env: { ...process.env, SENTENCE_TFJS_QUIET: '1', ...blasThreads, ...(c.env ?? {}) },
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (r.status === 0 && line) return { ...JSON.parse(line.slice('BENCH_RESULT '.length)), wallSeconds: (Date.now() - t0) / 1000 };
  return { error: failureReason(r, timeoutSec) };
}

/** One line on why a worker failed: a timeout, the wasm heap running out, or the first error line it printed. */
function failureReason(r, timeoutSec) {
  const stderr = (r.stderr ?? '').trim();
  if (r.error?.code === 'ETIMEDOUT') return `timed out after ${timeoutSec} s`;
  if (stderr.includes('Aborted()')) return 'wasm heap exhausted (Aborted(): an allocation past the 4 GiB wasm32 limit)';
  const errorLine = stderr.split('\n').find((l) => /^\w*Error\b|Error:/.test(l.trim()));
  return (errorLine ?? stderr.split('\n').slice(-1)[0] ?? `exit ${r.status}`).trim().slice(0, 200);
}

function log(msg) {
  process.stderr.write(`${msg}\n`);
}

const fmt = (x, digits = 2) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toPrecision(3)) : '–');

/** A training or encode case: alternate SDK and PyTorch `rounds` times; per side, the median of all timed steps. */
function runPaired(c) {
  const inputsFile = join(resultsDir, `inputs-${c.name}.json`);
  const sdkRuns = [];
  const torchRuns = [];
  let active = c;
  for (let r = 0; r < Math.min(rounds, c.maxRounds ?? rounds); r++) {
    const sdkCase = { ...active, inputsFile };
    let sdk = runWorker('sdk', c.sdkScript, sdkCase, [], c.timeoutSec);
    if (sdk.error && r === 0 && c.fallbackBatch && active.batch !== c.fallbackBatch) {
      log(`  ${c.name}: SDK at batch ${active.batch} failed (${sdk.error}); falling back to batch ${c.fallbackBatch}`);
      active = { ...c, batch: c.fallbackBatch, note: `batch ${c.batch} failed on the SDK: ${sdk.error}; both sides measured at batch ${c.fallbackBatch}` };
      sdk = runWorker('sdk', c.sdkScript, { ...active, inputsFile }, [], c.timeoutSec);
    }
    if (sdk.error) {
      log(`  ${c.name}: SDK failed: ${sdk.error}`);
      sdkRuns.push(sdk);
      break;
    }
    sdkRuns.push(sdk);
    log(`  ${c.name} round ${r + 1}: SDK median ${fmt(median(sdk.seconds))} s/${c.unit}`);
    const torch = runWorker('torch', c.torchScript, { ...active, inputsFile }, ['--threads', String(sdk.threads ?? 1)], c.timeoutSec);
    torchRuns.push(torch);
    if (torch.error) {
      log(`  ${c.name}: PyTorch failed: ${torch.error}`);
      break;
    }
    log(`  ${c.name} round ${r + 1}: PyTorch median ${fmt(median(torch.seconds))} s/${c.unit}`);
  }
  rmSync(inputsFile, { force: true });
  const ok = (runs) => runs.filter((x) => !x.error);
  const med = (runs, key) => median(ok(runs).flatMap((x) => x[key] ?? []));
  return {
    case: active,
    sdkRuns,
    torchRuns,
    sdkSeconds: med(sdkRuns, 'seconds'),
    torchSeconds: med(torchRuns, 'seconds'),
    sdkCpuSeconds: med(sdkRuns, 'cpuSeconds'),
    sdkReadbackSeconds: med(sdkRuns, 'readbackSeconds'),
    torchCpuSeconds: med(torchRuns, 'cpuSeconds'), error: sdkRuns.find((x) => x.error)?.error ?? torchRuns.find((x) => x.error)?.error };
}

/** Rows of a paired case: throughput by wall time, the ratio, and the ratio by CPU time (robust to other load). */
function rowsForPaired(res) {
  const c = res.case;
  const per = c.unit === 'step' ? c.batch : c.itemsPerUnit;
  const ratio = fmt(res.torchSeconds / res.sdkSeconds);
  const cpuRatio = fmt(res.torchCpuSeconds / res.sdkCpuSeconds);
  // encode: reading the embeddings into JavaScript is timed apart (the twin stops at its tensor); with it, the ratio is this.
  const readback = Number.isFinite(res.sdkReadbackSeconds)
    ? `readback into JS +${fmt(res.sdkReadbackSeconds * 1000)} ms/${c.unit} (ratio with it ${fmt(res.torchSeconds / (res.sdkSeconds + res.sdkReadbackSeconds))})`
    : '';
  const note = [c.note, res.error, `threads ${res.sdkRuns[0]?.threads ?? '?'}`, readback].filter(Boolean).join('; ');
  const label = `${c.title} (batch ${c.batch})`;
  if (c.unit === 'step') {
    return [
      [`${label}: steps/s`, fmt(1 / res.sdkSeconds), fmt(1 / res.torchSeconds), ratio, cpuRatio, note],
      [`${label}: samples/s`, fmt(per / res.sdkSeconds), fmt(per / res.torchSeconds), ratio, cpuRatio, ''],
    ];
  }
  return [[`${label}: ${c.unitLabel}`, fmt(per / res.sdkSeconds), fmt(per / res.torchSeconds), ratio, cpuRatio, note]];
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown';
  const pkg = (p) => JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version;
  const torch = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
  return { nproc: cpus().length, cpu: model, node: process.version, tfjs: pkg('@tensorflow/tfjs'), tfjsBackendWasm: pkg('@tensorflow/tfjs-backend-wasm'), torch, loadAverageAtStart: loadavg() };
}

function main() {
  mkdirSync(resultsDir, { recursive: true });
  const started = new Date();
  const info = machine();
  log(`machine: ${info.nproc} × ${info.cpu}, node ${info.node}, tfjs ${info.tfjs}, torch ${info.torch}, load ${info.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')}`);
  const table = [];
  const results = [];
  for (const c of CASES(quick)) {
    if (only && !c.name.includes(only)) continue;
    log(`case ${c.name}`);
    const t0 = Date.now();
    if (c.kind === 'paired') {
      const res = runPaired(c);
      results.push({ name: c.name, ...res, seconds: (Date.now() - t0) / 1000 });
      table.push(...rowsForPaired(res));
      if (c.flopsPeak) {
        const flops = transformerStepFlops(res.case);
        const peak = runPaired(c.flopsPeak);
        results.push({ name: c.flopsPeak.name, ...peak });
        const sdkAchieved = flops / res.sdkSeconds / 1e9;
        const torchAchieved = flops / res.torchSeconds / 1e9;
        const sdkPeak = c.flopsPeak.itemsPerUnit / peak.sdkSeconds / 1e9;
        const torchPeak = c.flopsPeak.itemsPerUnit / peak.torchSeconds / 1e9;
        table.push([`${res.case.title}: achieved GFLOP/s (matmul FLOPs ${fmt(flops / 1e9)} G/step)`, fmt(sdkAchieved), fmt(torchAchieved), fmt(sdkAchieved / torchAchieved), '', '']);
        table.push([`matmul peak GFLOP/s (${c.flopsPeak.title}); the step reaches % of it`, `${fmt(sdkPeak)} (${fmt((100 * sdkAchieved) / sdkPeak)}%)`, `${fmt(torchPeak)} (${fmt((100 * torchAchieved) / torchPeak)}%)`, fmt(sdkPeak / torchPeak), fmt(peak.torchCpuSeconds / peak.sdkCpuSeconds), '']);
      }
    } else {
      const res = c.run({ root, runWorker, log, quick });
      results.push({ name: c.name, ...res, seconds: (Date.now() - t0) / 1000 });
      table.push(...res.rows);
    }
  }
  const loadAtEnd = loadavg();
  const header = `| case | SDK | PyTorch | SDK/PyTorch | SDK/PyTorch by CPU time | notes |\n|---|---:|---:|---:|---:|---|`;
  const lines = table.map((r) => `| ${r.join(' | ')} |`);
  const summary = [
    `Machine: ${info.nproc} × ${info.cpu}; node ${info.node}, @tensorflow/tfjs ${info.tfjs} (wasm ${info.tfjsBackendWasm}), torch ${info.torch}.`,
    `Load average at start ${info.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${loadAtEnd.map((x) => x.toFixed(2)).join(' ')}; ${rounds} round(s) per case, medians.`,
  ];
  console.log(`\n${summary.join('\n')}\n\n${header}\n${lines.join('\n')}\n`);
  const file = join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ started: started.toISOString(), machine: { ...info, loadAverageAtEnd: loadAtEnd }, rounds, quick, table, results }, null, 1));
  log(`results: ${file}`);
  if (!existsSync(file)) process.exit(1);
}

main();
