"""Seconds per training step in PyTorch on the token ids the SDK worker wrote: forward of every column,
loss (MNRL or CoSENT), backward, AdamW step; the step ends when the loss is read back as a float."""
import json
import time

import torch

from bench_io import parse_case, report, tensors
from models import adamw, build, cosent, mnrl

case, threads = parse_case()
model = build(case["model"])
model.train()
opt = adamw(model, case.get("lr", 5e-5), case.get("weightDecay", 0.01))
with open(case["inputsFile"]) as f:
    steps = json.load(f)

seconds, cpu_seconds, losses = [], [], []
for step in steps:
    t0 = time.perf_counter()
    c0 = time.process_time()
    embeddings = [model(*tensors(col)) for col in step["columns"]]
    if case.get("loss") == "cosent":
        loss = cosent(embeddings[0], embeddings[1], torch.tensor(step["labels"], dtype=torch.float32))
    else:
        loss = mnrl(embeddings[0], embeddings[1])
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    losses.append(loss.item())
    seconds.append(time.perf_counter() - t0)
    cpu_seconds.append(time.process_time() - c0)

report({"seconds": seconds[case["warmup"]:], "cpuSeconds": cpu_seconds[case["warmup"]:], "losses": losses})
