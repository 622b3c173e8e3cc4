"""Reading the case run.mjs passes and printing the one result line it parses."""
import json
import sys

import torch


def parse_case():
    i = sys.argv.index("--case")
    case = json.loads(sys.argv[i + 1])
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    torch.set_num_threads(threads)
    torch.manual_seed(case.get("seed", 1))
    return case, threads


def tensors(column):
    return torch.tensor(column["inputIds"], dtype=torch.long), torch.tensor(column["attentionMask"], dtype=torch.long)


def report(result):
    result["threads"] = torch.get_num_threads()
    result["torch"] = torch.__version__
    print("BENCH_RESULT " + json.dumps(result), flush=True)
