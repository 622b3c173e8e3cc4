"""PyTorch reference for the Transformer module: reads a model folder written by sentence-tfjs
(config.json + model.safetensors with Hugging Face BERT names), runs a BERT encoder written here with
torch.nn.functional (post-LayerNorm, erf GELU, additive attention mask) and mean pooling, and prints the
sentence embeddings as JSON. Input on stdin: {"dir": ..., "input_ids": [[...]], "attention_mask": [[...]]}.

Run: /usr/bin/python3 test/reference/bert_forward.py < request.json   (Debian python3-torch)
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
        out[name] = torch.tensor(arr.astype(np.float64))
    return out


def bert(w, cfg, ids, mask):
    h = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    eps = cfg["layer_norm_eps"]
    b, t = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids]
    x = x + w["embeddings.position_embeddings.weight"][:t][None]
    x = x + w["embeddings.token_type_embeddings.weight"][0][None, None]
    x = F.layer_norm(x, (h,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    bias = (1.0 - mask[:, None, None, :].double()) * -1e9
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        lin = lambda v, n: F.linear(v, w[p + n + ".weight"], w[p + n + ".bias"])
        split = lambda v: v.view(b, t, heads, h // heads).transpose(1, 2)
        q, k, v = split(lin(x, "attention.self.query")), split(lin(x, "attention.self.key")), split(lin(x, "attention.self.value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // heads) + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = F.layer_norm(lin(ctx, "attention.output.dense") + x, (h,), w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        ff = lin(F.gelu(lin(x, "intermediate.dense")), "output.dense")
        x = F.layer_norm(ff + x, (h,), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    m = mask[:, :, None].double()
    return (x * m).sum(1) / m.sum(1).clamp(min=1e-9)


def main():
    req = json.load(sys.stdin)
    cfg = json.load(open(req["dir"] + "/config.json"))
    w = read_safetensors(req["dir"] + "/model.safetensors")
    ids = torch.tensor(req["input_ids"], dtype=torch.long)
    mask = torch.tensor(req["attention_mask"], dtype=torch.long)
    with torch.no_grad():
        emb = bert(w, cfg, ids, mask)
    json.dump(emb.tolist(), sys.stdout)


if __name__ == "__main__":
    main()
