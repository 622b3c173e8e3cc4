"""Sentences per second of PyTorch inference (no_grad, eval mode) on the batches of token ids the SDK's
encode would form (twin of bench/encode.ts; tokenization is not timed here, it is in the SDK)."""
import json
import time

import torch

from bench_io import parse_case, report, tensors
from models import build

case, _ = parse_case()
model = build(case["model"])
model.eval()
with open(case["inputsFile"]) as f:
    batches = [tensors(b) for b in json.load(f)]
seconds, cpu_seconds = [], []
with torch.no_grad():
    warm = batches if case.get("warmupFullPass") else batches[:1]  # as the SDK worker
    for _ in range(case["warmup"]):
        for ids, mask in warm:
            model(ids, mask)
    for _ in range(case["steps"]):
        t0 = time.perf_counter()
        c0 = time.process_time()
        out = torch.cat([model(ids, mask) for ids, mask in batches])
        seconds.append(time.perf_counter() - t0)
        cpu_seconds.append(time.process_time() - c0)
report({"seconds": seconds, "cpuSeconds": cpu_seconds})
