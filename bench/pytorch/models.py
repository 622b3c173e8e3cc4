"""The SDK's two model kinds in plain PyTorch (no transformers package on this machine): a StaticEmbedding
(nn.EmbeddingBag mean, N(0, 1) init, as sentence-transformers' StaticEmbedding) and a BERT encoder with mean
pooling, initialised as the SDK's Transformer.random (normal(0, 0.02) weights, zero biases, unit LayerNorms,
zero padding embedding), dropout 0.1, exact-erf GELU, LayerNorm eps 1e-12, post-norm."""
import math
import torch
from torch import nn
import torch.nn.functional as F

VOCAB = 30522
PRESETS = {
    "tiny": dict(hidden=64, layers=2, heads=2, ffn=256),
    "small": dict(hidden=256, layers=4, heads=4, ffn=1024),
    "minilm-l6": dict(hidden=384, layers=6, heads=12, ffn=1536),
}


class StaticEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.bag = nn.EmbeddingBag(VOCAB, dim, mode="mean")
        nn.init.normal_(self.bag.weight, 0.0, 1.0)

    def forward(self, ids, mask):
        # Real tokens only, one bag per row (offsets), as sentence-transformers feeds EmbeddingBag.
        lengths = mask.sum(1)
        flat = ids[mask.bool()]
        offsets = torch.cat([torch.zeros(1, dtype=torch.long), lengths.cumsum(0)[:-1]])
        return self.bag(flat, offsets)


class BertLayer(nn.Module):
    def __init__(self, h, heads, ffn, p):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.attn_norm = nn.LayerNorm(h, eps=1e-12)
        self.inter = nn.Linear(h, ffn)
        self.out = nn.Linear(ffn, h)
        self.out_norm = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(p)

    def split(self, x):
        b, t, h = x.shape
        return x.view(b, t, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x, bias):
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + bias
        ctx = self.drop(scores.softmax(-1)) @ v
        ctx = ctx.transpose(1, 2).reshape(x.shape)
        h = self.attn_norm(self.drop(self.o(ctx)) + x)
        return self.out_norm(self.drop(self.out(F.gelu(self.inter(h)))) + h)


class Bert(nn.Module):
    def __init__(self, preset, p=0.1, max_positions=512):
        super().__init__()
        c = PRESETS[preset]
        h = c["hidden"]
        self.word = nn.Embedding(VOCAB, h, padding_idx=0)
        self.pos = nn.Embedding(max_positions, h)
        self.token_type = nn.Embedding(2, h)
        self.norm = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList(BertLayer(h, c["heads"], c["ffn"], p) for _ in range(c["layers"]))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0.0, 0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)
        with torch.no_grad():
            self.word.weight[0].zero_()

    def forward(self, ids, mask):
        t = ids.shape[1]
        x = self.word(ids) + self.pos.weight[:t] + self.token_type.weight[0]
        x = self.drop(self.norm(x))
        bias = ((1.0 - mask.float()) * -1e9)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        m = mask.unsqueeze(-1).float()
        return (x * m).sum(1) / m.sum(1).clamp(min=1e-9)


def build(spec):
    if spec["kind"] == "static":
        return StaticEmbedding(spec.get("dim", 256))
    return Bert(spec.get("preset", "minilm-l6"))


def adamw(model, lr, weight_decay):
    """torch.optim.AdamW grouped as the SDK's AdamW: decay on weights of rank > 1 only."""
    decay = [p for p in model.parameters() if p.dim() > 1]
    rest = [p for p in model.parameters() if p.dim() <= 1]
    groups = [{"params": decay, "weight_decay": weight_decay}]
    if rest:
        groups.append({"params": rest, "weight_decay": 0.0})
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)


def mnrl(a, p, scale=20.0):
    scores = F.normalize(a, dim=-1) @ F.normalize(p, dim=-1).T * scale
    return F.cross_entropy(scores, torch.arange(a.shape[0]))


def cosent(a, b, labels, scale=20.0):
    s = F.cosine_similarity(a, b) * scale
    diff = s[:, None] - s[None, :]
    diff = diff - (labels[:, None] < labels[None, :]).float() * 1e12
    diff = torch.cat([torch.zeros(1), diff.view(-1)])
    return torch.logsumexp(diff, 0)
