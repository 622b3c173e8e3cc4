// bench/matmul-peak: seconds per float32 matMul [m, k]·[k, n] on the SDK's backend (the FLOP/s ceiling the
// Transformer training step is compared with). Twin: bench/pytorch/matmul_peak.py.
import { tf, ready } from '../sdk/src';
import { cpuTime, parseCase, report, runWorker } from './bench-inputs';

runWorker(async () => {
  const c = parseCase(process.argv) as ReturnType<typeof parseCase> & { matmul: { m: number; k: number; n: number } };
  const info = await ready();
  const { m, k, n } = c.matmul;
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  for (let i = 0; i < c.warmup + c.steps; i++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const out = tf.matMul(a, b);
    await out.data();
    out.dispose();
    seconds.push((performance.now() - t0) / 1000);
    cpuSeconds.push(cpuTime(cpu0));
  }
  tf.dispose([a, b]);
  report({ seconds: seconds.slice(c.warmup), cpuSeconds: cpuSeconds.slice(c.warmup), threads: Number(info.features.threadsCount ?? 1), backend: info.name });
});
