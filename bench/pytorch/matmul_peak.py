"""Seconds per float32 matmul [m, k]·[k, n] in PyTorch (twin of bench/matmul-peak.ts)."""
import time

import torch

from bench_io import parse_case, report

case, _ = parse_case()
mm = case["matmul"]
a, b = torch.randn(mm["m"], mm["k"]), torch.randn(mm["k"], mm["n"])
seconds, cpu_seconds = [], []
for _ in range(case["warmup"] + case["steps"]):
    t0 = time.perf_counter()
    c0 = time.process_time()
    torch.matmul(a, b)
    seconds.append(time.perf_counter() - t0)
    cpu_seconds.append(time.process_time() - c0)
report({"seconds": seconds[case["warmup"]:], "cpuSeconds": cpu_seconds[case["warmup"]:]})
