"""Reference fixtures for the sentence-tfjs losses.

A float64 torch transcription of every loss of sentence-transformers v6.0.0 as the project's LOSSES.md
describes it (stop-gradients, strict inequalities, sums vs means, eps values included), run on small
seeded inputs. It writes `fixtures/losses.json` next to this file: loss values, gradients w.r.t. every
embedding matrix (and the loss-owned parameters), plus a few similarity-matrix cases. sentence-transformers
itself is not installed here (no PyPI access), so each formula is transcribed from LOSSES.md and checked
against the v6 source text; where the two disagreed or LOSSES.md left a detail open, the comment at that
loss says what was chosen and why.

Regenerate (from the repository root; Debian's python3 with torch 1.13, no other dependency):

    /usr/bin/python3 test/reference/losses.py

The script also checks itself and fails loudly:
  * autograd gradients vs central finite differences in float64 for every case (values behind a
    stop-gradient are computed from a frozen copy of the inputs, so the check covers those losses too);
  * the same case recomputed in float32, also with inputs nudged by a few ulps, must agree with the
    float64 numbers (so no case sits on a discontinuity: a mask flip, a changed argmax, a ReLU kink).

Inputs come from a torch.Generator seeded with crc32 of the case name, so adding a case leaves the others
unchanged; if a draw fails the float32 check, the next seed (name/1, name/2, ...) is used.

Readings where LOSSES.md is silent or the v6 source text differs (each also noted at the loss):
  * OnlineContrastiveLoss falls back to the mean when a side has <= 1 element (v6.0.0 `len(x) > 1`, as
    LOSSES.md); a later snapshot uses `if len(x)`. Cases *_one_positive / *_one_negative tell them apart.
  * BatchSemiHardTripletLoss divides by max(#positive pairs, 1e-16): v6.0.0 gives NaN (0/0) when no label
    repeats; the later code (and the project: finite values) gives 0.
  * 'squared_euclidean_distance' = BatchHardTripletLossDistanceFunction.euclidean_distance(squared=True).
  * Contrastive / OnlineContrastive EUCLIDEAN and MANHATTAN are F.pairwise_distance: ||x - y + 1e-6||_p.
  * MNRL's hardness penalty uses the configured similarity_fct (raw dot product for dot_score).
  * GIST relative margin: threshold t - |t| * margin (LOSSES.md, CachedGIST source), not t * (1 - margin).
  * AdaptiveLayer KL: rows stacked column by column (all of column 0, then column 1, ...).

Out of scope: DenoisingAutoEncoderLoss (TSDAE). Its value is the token cross-entropy of a pretrained
Hugging Face causal-LM decoder cross-attending to the sentence embedding; it needs `transformers` and
pretrained weights (not installable here) and depends on the whole decoder, so embeddings alone cannot
pin it down.

JSON schema (numbers rounded to 9 significant digits; inputs are float32 values, exact at 9 digits):

  {
    "generator": "test/reference/losses.py",
    "reference": "sentence-transformers v6.0.0",
    "cases": [{
      "name": str,                      # unique, e.g. "mnrl_joint_all_directions_1neg"
      "loss": str,                      # Python class name, e.g. "MultipleNegativesRankingLoss"
      "options": {snake_case: value},   # constructor kwargs as a Python user would pass them (defaults
                                        # omitted); enum/function values as Python names, e.g.
                                        # "similarity_fct": "dot_score", "distance_metric": "EUCLIDEAN"
      "inner"?: {"loss": str, "options": {...}},   # the wrapped loss of Matryoshka/AdaptiveLayer/2d
      "inputs": {
        "embeddings": number[][][],     # one [B, d] matrix per text column, in column order;
                                        # AdaptiveLayerLoss / Matryoshka2dLoss: embeddings[c*L + l] is
                                        # column c at hidden state l (l = L-1 is the final layer)
        "labels": number[] | number[][] | number[][][] | null,
        "numLayers"?: int,              # L, only for AdaptiveLayerLoss / Matryoshka2dLoss
        "guideEmbeddings"?: number[][][],   # GIST: the guide's embedding of each column (no gradient)
        "moduleParams"?: {name: number | number[] | number[][]},  # loss-owned weights, torch layout:
                                        # "weight" [out, in], "bias" [out] (SoftmaxLoss classifier,
                                        # EmbedDistill/MSE projection); "logit_scale" scalar (CT in-batch)
        "randomSamples"?: number[][]    # every random.sample(range(n), k) result the loss drew, in call
                                        # order, as returned (before any sorting): Matryoshka: indices
                                        # into the dims sorted descending; AdaptiveLayer: layer indices
      },
      "expected": {
        "loss": number,
        "grads": number[][][],          # d loss / d embeddings[i], same shapes as inputs.embeddings
        "paramGrads"?: {name: ...},     # d loss / d moduleParams[name]
        "parts"?: {name: number}        # GlobalOrthogonalRegularizationLoss: "gor_mean",
                                        # "gor_second_moment" (loss = their sum)
      }
    }],
    "similarity": [{
      "name": str, "fn": str,           # sentence_transformers.util name, e.g. "cos_sim", "pairwise_angle_sim"
      "a": number[][], "b": number[][],
      "expected": number[][] | number[],  # matrix [Na, Nb] or pairwise [N]
      "upstream": same shape as expected, # weights w of the scalar sum(w * fn(a, b)) ...
      "gradA": number[][], "gradB": number[][]  # ... and its gradients w.r.t. a and b (torch autograd)
    }]
  }
"""
from __future__ import annotations

import copy
import json
import math
import os
import random
import zlib

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "losses.json")
F64 = torch.float64
F32 = torch.float32
INF = float("inf")

# ----------------------------------------------------------------------------------------------------
# sentence_transformers.util similarity functions
# ----------------------------------------------------------------------------------------------------


def normalize(x):
    return F.normalize(x, p=2, dim=-1)  # eps 1e-12: a zero row stays zero


def cos_sim(a, b):
    return normalize(a) @ normalize(b).T


def dot_score(a, b):
    return a @ b.T


def euclidean_sim(a, b):
    return -torch.cdist(a, b, p=2.0)


def manhattan_sim(a, b):
    return -torch.cdist(a, b, p=1.0)


def pairwise_dot_score(a, b):
    return (a * b).sum(dim=-1)


def pairwise_cos_sim(a, b):
    return pairwise_dot_score(normalize(a), normalize(b))


def pairwise_euclidean_sim(a, b):
    return -torch.sqrt(((a - b) ** 2).sum(dim=-1))


def pairwise_manhattan_sim(a, b):
    return -(a - b).abs().sum(dim=-1)


def pairwise_angle_sim(x, y):
    # util.pairwise_angle_sim: odd d zero-padded by one; halves are real / imaginary parts.
    if x.shape[1] % 2 != 0:
        x = F.pad(x, (0, 1), mode="constant", value=0)
        y = F.pad(y, (0, 1), mode="constant", value=0)
    a, b = torch.chunk(x, 2, dim=1)
    c, d = torch.chunk(y, 2, dim=1)
    z = torch.sum(c**2 + d**2, dim=1, keepdim=True)
    re = (a * c + b * d) / z
    im = (b * c - a * d) / z
    dz = torch.sum(a**2 + b**2, dim=1, keepdim=True) ** 0.5
    dw = torch.sum(c**2 + d**2, dim=1, keepdim=True) ** 0.5
    re = re / (dz / dw)
    im = im / (dz / dw)
    return torch.abs(torch.sum(torch.cat((re, im), dim=1), dim=1))


MATRIX_SIM = {"cos_sim": cos_sim, "dot_score": dot_score, "euclidean_sim": euclidean_sim, "manhattan_sim": manhattan_sim}
PAIRWISE_SIM = {
    "pairwise_cos_sim": pairwise_cos_sim,
    "pairwise_dot_score": pairwise_dot_score,
    "pairwise_euclidean_sim": pairwise_euclidean_sim,
    "pairwise_manhattan_sim": pairwise_manhattan_sim,
    "pairwise_angle_sim": pairwise_angle_sim,
}


def cross_entropy(logits, targets):
    """nn.CrossEntropyLoss (mean over rows); -inf logits drop out of the log-sum-exp."""
    return (torch.logsumexp(logits, dim=1) - logits[torch.arange(len(targets)), targets]).mean()


# ----------------------------------------------------------------------------------------------------
# What a loss needs besides embeddings and labels
# ----------------------------------------------------------------------------------------------------


class Draws:
    """The modifiers' random.sample(range(n), k) calls: drawn with a seeded random.Random on the first
    run and recorded, replayed exactly on every later run (finite differences, float32 check)."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.log = []
        self.at = None

    def sample(self, n, k):
        if self.at is None:
            drawn = self.rng.sample(range(n), k)
            self.log.append(list(drawn))
            return list(drawn)
        drawn = self.log[self.at]
        assert len(drawn) == k and max(drawn) < n, (drawn, n, k)
        self.at += 1
        return list(drawn)

    def replay(self):
        self.at = 0
        return self


class Ctx:
    """frozen: the embeddings as constants (same layout as the loss's embeddings); everything the
    reference wraps in stop-gradient / .detach() is computed from these. Normally they equal the
    embeddings; the finite-difference check moves the embeddings and keeps `frozen` at the base point."""

    def __init__(self, frozen, guide=None, params=None, draws=None, num_layers=None, inner=None):
        self.frozen = frozen
        self.guide = guide
        self.params = params or {}
        self.draws = draws
        self.num_layers = num_layers
        self.inner = inner

    def sub(self, frozen, inner=None):
        c = copy.copy(self)
        c.frozen = frozen
        c.inner = inner
        return c


# ----------------------------------------------------------------------------------------------------
# In-batch negative losses
# ----------------------------------------------------------------------------------------------------


def mnrl(E, labels, o, ctx):
    """MultipleNegativesRankingLoss (v6 compute_loss_from_embeddings, single device)."""
    scale = o.get("scale", 20.0)
    sim = MATRIX_SIM[o.get("similarity_fct", "cos_sim")]
    directions = list(o.get("directions", ["query_to_doc"]))
    mode = o.get("partition_mode", "joint")
    hardness = o.get("hardness_mode")
    alpha = o.get("hardness_strength", 0.0)
    assert "query_to_doc" in directions
    assert not (mode == "per_direction" and set(directions) & {"query_to_query", "doc_to_doc"})

    q, docs = E[0], E[1:]
    B = q.shape[0]
    docs_all = torch.cat(docs, 0)
    eye = torch.eye(B, dtype=torch.bool)
    own_docs = eye.repeat(1, len(docs))  # row i: its positive and its own hard negatives

    # Block order as in the reference's dict: query_to_doc, query_to_query, doc_to_query, doc_to_doc.
    blocks = {"query_to_doc": sim(q, docs_all)}
    if "query_to_query" in directions:
        blocks["query_to_query"] = sim(q, q).masked_fill(eye, -INF)
    if "doc_to_query" in directions:
        blocks["doc_to_query"] = sim(q, docs[0]).T  # [i, j] = sim(a_j, p_i)
    if "doc_to_doc" in directions:
        blocks["doc_to_doc"] = sim(docs_all, docs[0]).T.masked_fill(own_docs, -INF)  # [i, k] = sim(D_k, p_i)

    penalty = None
    if hardness in ("in_batch_negatives", "hard_negatives", "all_negatives") and alpha > 0.0:
        # alpha * sg(raw similarity), added after scaling; only the selected entries.
        raw = sim(ctx.frozen[0], torch.cat(ctx.frozen[1 : len(E)], 0))
        if hardness == "hard_negatives":
            selected = own_docs.clone()
            selected[:, :B] = False
        elif hardness == "in_batch_negatives":
            selected = ~own_docs
        else:
            selected = torch.ones_like(own_docs)
            selected[:, :B] = ~eye
        penalty = alpha * raw * selected.to(raw.dtype)

    logits = {k: v * scale for k, v in blocks.items()}
    if penalty is not None:
        logits["query_to_doc"] = logits["query_to_doc"] + penalty
    rows = torch.arange(B)
    positive = logits["query_to_doc"][rows, rows]
    if mode == "joint":
        log_z = torch.logsumexp(torch.cat(list(logits.values()), dim=1), dim=1)
    else:
        log_z = sum(torch.logsumexp(m, dim=1) for m in logits.values()) / len(logits)
    return -(positive - log_z).mean()


def mnsrl(E, labels, o, ctx):
    """MultipleNegativesSymmetricRankingLoss: the MNRL preset (query_to_doc, doc_to_query), per_direction."""
    return mnrl(E, labels, {**o, "directions": ["query_to_doc", "doc_to_query"], "partition_mode": "per_direction"}, ctx)


def cached(fn):
    """Cached* (GradCache): same value and gradients for any mini_batch_size (chunk losses are row-mean
    x chunk_rows / B, summed), so the uncached formula is the reference; mini_batch_size is only an option."""

    def run(E, labels, o, ctx):
        return fn(E, labels, {k: v for k, v in o.items() if k not in ("mini_batch_size", "mini_batch_num_tokens")}, ctx)

    return run


def gist(E, labels, o, ctx, several_negatives=False):
    """GISTEmbedLoss. Cosine is nn.CosineSimilarity(dim=-1) (eps 1e-8) on both models.
    Relative margin: threshold t - |t| * margin (v5.6+; older code had t * (1 - margin), equal for t >= 0).
    Mask: guide similarity strictly greater than the row threshold -> -inf; only AP[i][i] is protected.
    CachedGISTEmbedLoss accepts several negative columns, each masked with its own guide block."""
    temperature = o.get("temperature", 0.01)
    strategy = o.get("margin_strategy", "absolute")
    margin = o.get("margin", 0.0)
    G = ctx.guide
    assert len(G) == len(E)
    if not several_negatives and len(E) not in (2, 3):
        raise ValueError("GISTEmbedLoss expects 2 or 3 columns")

    def sim(x, y):
        return torch.cosine_similarity(x.unsqueeze(1), y.unsqueeze(0), dim=-1)

    anchor, positive = E[0], E[1]
    guide_ap = sim(G[0], G[1])
    t = guide_ap.diagonal().view(-1, 1)
    threshold = t - margin if strategy == "absolute" else t - t.abs() * margin
    B = anchor.shape[0]

    def suppress(guide_mat, mat, protect_diagonal=False):
        mask = guide_mat > threshold
        if protect_diagonal:
            mask = mask & ~torch.eye(B, dtype=torch.bool)
        return mat.masked_fill(mask, -INF)

    scores = [suppress(guide_ap, sim(anchor, positive), protect_diagonal=True)]
    if o.get("contrast_anchors", True):
        scores.append(suppress(sim(G[0], G[0]), sim(anchor, anchor)))
    if o.get("contrast_positives", True):
        scores.append(suppress(sim(G[1], G[1]), sim(positive, positive)))
    for k in range(2, len(E)):
        scores.append(suppress(sim(G[0], G[k]), sim(anchor, E[k])))
    return cross_entropy(torch.cat(scores, dim=1) / temperature, torch.arange(B))


def cached_gist(E, labels, o, ctx):
    return gist(E, labels, {k: v for k, v in o.items() if k != "mini_batch_size"}, ctx, several_negatives=True)


def mega_batch_margin(E, labels, o, ctx):
    """MegaBatchMarginLoss: [pm - C_ii]+ + [max_{j!=i} C_ij - nm]+, mean over rows; the mini-batched
    version (default) is GradCache and gives the same numbers."""
    pm = o.get("positive_margin", 0.8)
    nm = o.get("negative_margin", 0.3)
    assert len(E) == 2
    C = cos_sim(E[0], E[1])
    B = C.shape[0]
    rows = torch.arange(B)
    hardest = C.masked_fill(torch.eye(B, dtype=torch.bool), -INF).max(dim=1).values
    return (F.relu(pm - C[rows, rows]) + F.relu(hardest - nm)).sum() / B


# ----------------------------------------------------------------------------------------------------
# Pair losses with scores / binary labels
# ----------------------------------------------------------------------------------------------------


def cosent_from_scores(s, labels):
    """log(1 + sum_{label_i < label_j} exp(s_i - s_j)) as the library computes it (-1e12, prepended 0)."""
    diff = s[:, None] - s[None, :]
    lower = (labels[:, None] < labels[None, :]).to(s.dtype)
    diff = diff - (1 - lower) * 1e12
    return torch.logsumexp(torch.cat((torch.zeros(1, dtype=s.dtype), diff.view(-1))), dim=0)


def cosent(E, labels, o, ctx):
    sim = PAIRWISE_SIM[o.get("similarity_fct", "pairwise_cos_sim")]
    return cosent_from_scores(sim(E[0], E[1]) * o.get("scale", 20.0), labels.view(-1))


def angle(E, labels, o, ctx):
    """AnglELoss: CoSENT with pairwise_angle_sim. n-tuples become (anchor, positive) pairs with the labels
    (or 1) and (anchor, negative_k) pairs with 1 - label, concatenated column by column."""
    o = {**o, "similarity_fct": "pairwise_angle_sim"}
    if len(E) > 2:
        anchors = E[0]
        pairs = [anchors.repeat(len(E) - 1, 1), torch.cat(E[1:], dim=0)]
        lab = torch.ones(anchors.shape[0], dtype=anchors.dtype) if labels is None else labels.view(-1)
        return cosent(pairs, torch.cat([lab, (1 - lab).repeat(len(E) - 2)]), o, ctx)
    return cosent(E, labels, o, ctx)


def cosine_similarity_loss(E, labels, o, ctx):
    """CosineSimilarityLoss defaults: MSE(torch.cosine_similarity (eps 1e-8), labels)."""
    return F.mse_loss(torch.cosine_similarity(E[0], E[1]), labels.view(-1).to(E[0].dtype))


def siamese_distance(name, x, y):
    # SiameseDistanceMetric: F.pairwise_distance adds eps=1e-6 to the difference: ||x - y + 1e-6||_p.
    if name == "EUCLIDEAN":
        return F.pairwise_distance(x, y, p=2)
    if name == "MANHATTAN":
        return F.pairwise_distance(x, y, p=1)
    if name == "COSINE_DISTANCE":
        return 1 - F.cosine_similarity(x, y)
    raise ValueError(name)


def contrastive(E, labels, o, ctx):
    d = siamese_distance(o.get("distance_metric", "COSINE_DISTANCE"), E[0], E[1])
    y = labels.view(-1).to(d.dtype)
    losses = 0.5 * (y * d.pow(2) + (1 - y) * F.relu(o.get("margin", 0.5) - d).pow(2))
    return losses.mean() if o.get("size_average", True) else losses.sum()


def online_contrastive(E, labels, o, ctx):
    """OnlineContrastiveLoss as in v6.0.0: fallbacks when a side has <= 1 element (`len(x) > 1`).
    (A later dev snapshot changed this to `if len(x)`, i.e. only an empty side falls back.)"""
    d = siamese_distance(o.get("distance_metric", "COSINE_DISTANCE"), E[0], E[1])
    y = labels.view(-1)
    negs, poss = d[y == 0], d[y == 1]
    negative_pairs = negs[negs < (poss.max() if len(poss) > 1 else negs.mean())]
    positive_pairs = poss[poss > (negs.min() if len(negs) > 1 else poss.mean())]
    return positive_pairs.pow(2).sum() + F.relu(o.get("margin", 0.5) - negative_pairs).pow(2).sum()


def triplet(E, labels, o, ctx):
    """TripletLoss (v5.4+ distances: no eps, positive distances)."""
    metric = o.get("distance_metric", "EUCLIDEAN")
    dist = {
        "COSINE": lambda x, y: 1 - pairwise_cos_sim(x, y),
        "EUCLIDEAN": lambda x, y: -pairwise_euclidean_sim(x, y),
        "MANHATTAN": lambda x, y: -pairwise_manhattan_sim(x, y),
    }[metric]
    a, p, n = E
    return F.relu(dist(a, p) - dist(a, n) + o.get("triplet_margin", 5)).mean()


# ----------------------------------------------------------------------------------------------------
# Batch triplet losses (one column + class labels)
# ----------------------------------------------------------------------------------------------------


def euclidean_distance(x, squared=False):
    """BatchHardTripletLossDistanceFunction.euclidean_distance: from the Gram matrix (its diagonal is then
    exactly 0), negatives set to 0, sqrt only where non-zero. squared=True is the same without the sqrt:
    'squared_euclidean_distance' in the fixtures (a functools.partial(euclidean_distance, squared=True))."""
    dot = x @ x.t()
    sq = torch.diag(dot)
    d = sq.unsqueeze(0) - 2.0 * dot + sq.unsqueeze(1)
    d = torch.where(d < 0, torch.zeros_like(d), d)
    if not squared:
        mask = (d == 0).to(d.dtype)
        d = (1.0 - mask) * torch.sqrt(d + mask * 1e-16)
    return d


BATCH_DISTANCE = {
    "euclidean_distance": euclidean_distance,
    "squared_euclidean_distance": lambda x: euclidean_distance(x, squared=True),
    "cosine_distance": lambda x: 1 - cos_sim(x, x),
}


def hardest_pair_distances(E, labels, o):
    pd = BATCH_DISTANCE[o.get("distance_metric", "euclidean_distance")](E[0])
    lab = labels.view(-1)
    B = lab.numel()
    same = lab.unsqueeze(0) == lab.unsqueeze(1)
    eye = torch.eye(B, dtype=torch.bool)
    hardest_positive = ((same & ~eye).to(pd.dtype) * pd).max(1, keepdim=True).values  # 0 without positive
    row_max = pd.max(1, keepdim=True).values
    hardest_negative = (pd + row_max * (1.0 - (~same).to(pd.dtype))).min(1, keepdim=True).values
    return hardest_positive, hardest_negative


def batch_hard_triplet(E, labels, o, ctx):
    hp, hn = hardest_pair_distances(E, labels, o)
    tl = hp - hn + o.get("margin", 5)
    tl = torch.where(tl < 0, torch.zeros_like(tl), tl)
    return tl.mean()


def batch_hard_soft_margin_triplet(E, labels, o, ctx):
    hp, hn = hardest_pair_distances(E, labels, o)
    return F.softplus(hp - hn).mean()


def batch_all_triplet(E, labels, o, ctx):
    pd = BATCH_DISTANCE[o.get("distance_metric", "euclidean_distance")](E[0])
    lab = labels.view(-1)
    B = lab.numel()
    tl = pd.unsqueeze(2) - pd.unsqueeze(1) + o.get("margin", 5)
    distinct = ~torch.eye(B, dtype=torch.bool)
    distinct = distinct.unsqueeze(2) & distinct.unsqueeze(1) & distinct.unsqueeze(0)
    equal = lab.unsqueeze(0) == lab.unsqueeze(1)
    valid = equal.unsqueeze(2) & ~equal.unsqueeze(1) & distinct
    tl = valid.to(pd.dtype) * tl
    tl = torch.where(tl < 0, torch.zeros_like(tl), tl)
    active = int((tl > 1e-16).sum())
    return tl.sum() / (active + 1e-16)


def batch_semi_hard_triplet(E, labels, o, ctx):
    """BatchSemiHardTripletLoss, v6.0.0's tiled port of TF Addons. The denominator is clamped at 1e-16 as
    in the later code: v6.0.0 divides by the raw count and returns NaN (0/0) when no label repeats; the
    project wants a finite value there, and every other batch is unaffected."""
    pd = BATCH_DISTANCE[o.get("distance_metric", "euclidean_distance")](E[0])
    lab = labels.view(-1).unsqueeze(1)
    B = lab.numel()
    adjacency = lab == lab.t()
    adjacency_not = ~adjacency
    tile = pd.repeat([B, 1])
    # row r = (anchor r % B, positive r // B): negatives of the anchor strictly farther than D_ap
    mask = adjacency_not.repeat([B, 1]) & (tile > pd.t().reshape(-1, 1))
    mask_final = (mask.sum(1, keepdim=True) > 0).reshape(B, B).t()

    def masked_minimum(data, m):
        axis_max = data.max(1, keepdim=True).values
        return ((data - axis_max) * m.to(data.dtype)).min(1, keepdim=True).values + axis_max

    def masked_maximum(data, m):
        axis_min = data.min(1, keepdim=True).values
        return ((data - axis_min) * m.to(data.dtype)).max(1, keepdim=True).values + axis_min

    negatives_outside = masked_minimum(tile, mask).reshape(B, B).t()
    negatives_inside = masked_maximum(pd, adjacency_not).repeat([1, B])
    semi_hard = torch.where(mask_final, negatives_outside, negatives_inside)
    loss_mat = pd - semi_hard + o.get("margin", 5)
    mask_positives = adjacency.to(pd.dtype) - torch.eye(B, dtype=pd.dtype)
    num_positives = mask_positives.sum()
    return torch.max(loss_mat * mask_positives, torch.zeros(1, dtype=pd.dtype)).sum() / num_positives.clamp(min=1e-16)


# ----------------------------------------------------------------------------------------------------
# Classifier, distillation, contrastive tension, regularization
# ----------------------------------------------------------------------------------------------------


def softmax_loss(E, labels, o, ctx):
    u, v = E
    parts = []
    if o.get("concatenation_sent_rep", True):
        parts += [u, v]
    if o.get("concatenation_sent_difference", True):
        parts.append(torch.abs(u - v))
    if o.get("concatenation_sent_multiplication", False):
        parts.append(u * v)
    logits = F.linear(torch.cat(parts, 1), ctx.params["weight"], ctx.params["bias"])
    return F.cross_entropy(logits, labels.view(-1).long())


def embed_distill(E, labels, o, ctx, metric=None):
    """EmbedDistillLoss (MSELoss = distance 'mse'): per column, then mean over columns. 2-D labels are the
    target of every column; 3-D labels (B, C, d_t) give one target per column."""
    metric = metric or o.get("distance_metric", "cosine")
    targets = [labels] * len(E) if labels.dim() == 2 else [labels[:, i] for i in range(labels.shape[1])]
    assert len(targets) == len(E)
    losses = []
    for student, teacher in zip(E, targets):
        teacher = teacher.to(student.dtype)
        if "weight" in ctx.params:
            student = F.linear(student, ctx.params["weight"], ctx.params["bias"])
        if metric == "mse":
            losses.append(F.mse_loss(student, teacher))
        elif metric == "l2":
            losses.append(torch.norm(student - teacher, dim=-1).mean())
        else:
            losses.append((1 - F.cosine_similarity(student, teacher, dim=-1)).mean())
    return torch.stack(losses).mean()


def mse_loss(E, labels, o, ctx):
    return embed_distill(E, labels, o, ctx, metric="mse")


def margin_mse(E, labels, o, ctx):
    sim = PAIRWISE_SIM[o.get("similarity_fct", "pairwise_dot_score")]
    q, pos, negs = E[0], E[1], E[2:]
    B = q.shape[0]
    labels = labels.to(q.dtype)
    if tuple(labels.shape) == (B, len(negs) + 1):
        labels = labels[:, 0].unsqueeze(1) - labels[:, 1:]
    if tuple(labels.shape) == (B,):
        labels = labels.unsqueeze(1)
    assert tuple(labels.shape) == (B, len(negs))
    s_pos = sim(q, pos)
    margins = torch.stack([s_pos - sim(q, n) for n in negs], dim=1)
    return F.mse_loss(margins, labels)


def distill_kl_div(E, labels, o, ctx):
    sim = PAIRWISE_SIM[o.get("similarity_fct", "pairwise_dot_score")]
    t = o.get("temperature", 1.0)
    ts = o.get("student_temperature") or t
    tt = o.get("teacher_temperature") or t
    assert len(E) >= 3
    student = torch.stack([sim(E[0], other) for other in E[1:]], dim=1) / ts
    log_q = torch.log_softmax(student, dim=1)
    p = torch.softmax(labels.to(student.dtype) / tt, dim=1)
    return F.kl_div(log_q, p, reduction="batchmean") * ts**2


def contrastive_tension(E, labels, o, ctx):
    """ContrastiveTensionLoss: embeddings [model1(A), model2(B)], dot score, BCE-with-logits summed."""
    scores = (E[0] * E[1]).sum(dim=-1)
    return F.binary_cross_entropy_with_logits(scores, labels.view(-1).to(scores.dtype), reduction="sum")


def contrastive_tension_in_batch(E, labels, o, ctx):
    """embeddings [model1(x), model2(x)]; the scale is the trainable logit_scale = ln(scale)."""
    sim = MATRIX_SIM[o.get("similarity_fct", "cos_sim")]
    scores = sim(E[0], E[1]) * ctx.params["logit_scale"].exp()
    target = torch.arange(scores.shape[0])
    return (cross_entropy(scores, target) + cross_entropy(scores.t(), target)) / 2


def global_orthogonal_regularization(E, labels, o, ctx):
    sim = MATRIX_SIM[o.get("similarity_fct", "cos_sim")]
    mean_terms, second_terms = [], []
    for e in E:
        B, d = e.shape
        S = sim(e, e) * (1 - torch.eye(B, dtype=e.dtype))  # fill_diagonal_(0)
        n = B * (B - 1)
        mean_terms.append((S.sum() / n).pow(2))
        second_terms.append(torch.relu(S.pow(2).sum() / n - 1.0 / d))
    aggregate = (lambda x: torch.stack(x).sum()) if o.get("aggregation", "mean") == "sum" else (lambda x: torch.stack(x).mean())
    parts = {}
    if o.get("mean_weight", 1.0):
        parts["gor_mean"] = o.get("mean_weight", 1.0) * aggregate(mean_terms)
    if o.get("second_moment_weight", 1.0):
        parts["gor_second_moment"] = o.get("second_moment_weight", 1.0) * aggregate(second_terms)
    return sum(parts.values()), parts


# ----------------------------------------------------------------------------------------------------
# Modifiers
# ----------------------------------------------------------------------------------------------------


def call_inner(E, labels, ctx, frozen, inner):
    name, options = inner
    out = LOSSES[name](E, labels, options, ctx.sub(frozen, inner=None))
    return out[0] if isinstance(out, tuple) else out


def matryoshka(E, labels, o, ctx):
    """MatryoshkaLoss: dims sorted descending (weights permuted with them); every selected dim truncates
    and L2-normalizes each embedding (also at full dim); labels (B, model_dim) are truncated too;
    loss = sum weight_m * inner_m. n_dims_per_step k in (0, #dims): random.sample of k indices, sorted."""
    dims = o["matryoshka_dims"]
    weights = o.get("matryoshka_weights") or [1] * len(dims)
    dims, weights = zip(*sorted(zip(dims, weights), key=lambda x: x[0], reverse=True))
    k = o.get("n_dims_per_step", -1)
    indices = list(range(len(dims)))
    if 0 < k < len(dims):
        indices = sorted(ctx.draws.sample(len(dims), k))
    model_dim = E[0].shape[1]
    loss = 0.0
    for i in indices:
        m = dims[i]
        shrunk = [normalize(e[:, :m]) for e in E]
        frozen = [normalize(f[:, :m]) for f in ctx.frozen]
        dim_labels = labels
        if isinstance(labels, torch.Tensor) and labels.dim() == 2 and labels.shape[-1] == model_dim:
            dim_labels = labels[:, :m]
        loss = loss + weights[i] * call_inner(shrunk, dim_labels, ctx, frozen, ctx.inner)
    return loss


def layer_weight(name, layer):
    if name == "log":
        return 1.0 / (1.0 + math.log(1 + layer))
    if name == "linear":
        return 1.0 / (1 + layer)
    return 1.0


def adaptive_layer(E, labels, o, ctx, inner=None):
    """AdaptiveLayerLoss: E[c*L + l] is column c at hidden state l. KL target detached (v5.7+); KL over the
    raw embeddings of all columns stacked (B*C rows, 'batchmean'); selected layers in draw order."""
    inner = inner or ctx.inner
    L = ctx.num_layers
    C = len(E) // L
    assert C * L == len(E)
    n_step = o.get("n_layers_per_step", 1)
    T = o.get("kl_temperature", 0.3)
    weighting = o.get("layer_weighting", "uniform")

    def layer(tensors, l):
        return [tensors[c * L + l] for c in range(C)]

    final, final_frozen = layer(E, L - 1), layer(ctx.frozen, L - 1)
    loss = call_inner(final, labels, ctx, final_frozen, inner) * o.get("last_layer_weight", 1.0)
    if T > 0:
        target = torch.softmax(torch.cat(final_frozen, 0) / T, dim=-1)  # sg
    indices = list(range(L - 1))
    if 0 < n_step < L - 1:
        indices = ctx.draws.sample(L - 1, n_step)
    for l in indices:
        layer_loss = call_inner(layer(E, l), labels, ctx, layer(ctx.frozen, l), inner)
        loss = loss + layer_loss * layer_weight(weighting, l) / len(indices) * o.get("prior_layers_weight", 1.0)
        if T > 0:
            log_q = torch.log_softmax(torch.cat(layer(E, l), 0) / T, dim=-1)
            kl = F.kl_div(log_q, target, reduction="batchmean")
            loss = loss + kl * T * o.get("kl_div_weight", 1.0)
    return loss


MATRYOSHKA_KEYS = ("matryoshka_dims", "matryoshka_weights", "n_dims_per_step")


def matryoshka_2d(E, labels, o, ctx):
    """Matryoshka2dLoss = AdaptiveLayerLoss(MatryoshkaLoss(inner, dims, weights, n_dims_per_step=1), ...)
    with n_layers_per_step=1. Draw order: final-layer dims, layers, then the dims of each selected layer."""
    mat = {k: o[k] for k in MATRYOSHKA_KEYS if k in o}
    mat.setdefault("n_dims_per_step", 1)
    adaptive = {k: v for k, v in o.items() if k not in MATRYOSHKA_KEYS}
    adaptive.setdefault("n_layers_per_step", 1)
    return adaptive_layer(E, labels, adaptive, ctx, inner=("__Matryoshka_for_2d__", {**mat, "__inner__": ctx.inner}))


def matryoshka_for_2d(E, labels, o, ctx):
    opts = {k: v for k, v in o.items() if k != "__inner__"}
    return matryoshka(E, labels, opts, ctx.sub(ctx.frozen, inner=o["__inner__"]))


LOSSES = {
    "MultipleNegativesRankingLoss": mnrl,
    "CachedMultipleNegativesRankingLoss": cached(mnrl),
    "MultipleNegativesSymmetricRankingLoss": mnsrl,
    "CachedMultipleNegativesSymmetricRankingLoss": cached(mnsrl),
    "GISTEmbedLoss": gist,
    "CachedGISTEmbedLoss": cached_gist,
    "MegaBatchMarginLoss": mega_batch_margin,
    "CoSENTLoss": cosent,
    "AnglELoss": angle,
    "CosineSimilarityLoss": cosine_similarity_loss,
    "ContrastiveLoss": contrastive,
    "OnlineContrastiveLoss": online_contrastive,
    "TripletLoss": triplet,
    "BatchAllTripletLoss": batch_all_triplet,
    "BatchHardTripletLoss": batch_hard_triplet,
    "BatchHardSoftMarginTripletLoss": batch_hard_soft_margin_triplet,
    "BatchSemiHardTripletLoss": batch_semi_hard_triplet,
    "SoftmaxLoss": softmax_loss,
    "MSELoss": mse_loss,
    "EmbedDistillLoss": embed_distill,
    "MarginMSELoss": margin_mse,
    "DistillKLDivLoss": distill_kl_div,
    "ContrastiveTensionLoss": contrastive_tension,
    "ContrastiveTensionLossInBatchNegatives": contrastive_tension_in_batch,
    "GlobalOrthogonalRegularizationLoss": global_orthogonal_regularization,
    "MatryoshkaLoss": matryoshka,
    "AdaptiveLayerLoss": adaptive_layer,
    "Matryoshka2dLoss": matryoshka_2d,
    "__Matryoshka_for_2d__": matryoshka_for_2d,
}


# ----------------------------------------------------------------------------------------------------
# Seeded inputs (generated in float32; every expected number is computed in float64 from them)
# ----------------------------------------------------------------------------------------------------


class Gen:
    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def randn(self, *shape, s=1.0):
        return torch.randn(*shape, generator=self.g, dtype=F32) * s

    def rand(self, *shape, lo=0.0, hi=1.0):
        return lo + torch.rand(*shape, generator=self.g, dtype=F32) * (hi - lo)

    def tuples(self, B, d, cols, noise=0.8, s=1.0):
        """anchor, positive (anchor + noise), negatives (anchor + more noise): realistic, not degenerate."""
        a = self.randn(B, d)
        out = [a]
        for k in range(1, cols):
            out.append(a + self.randn(B, d, s=noise * (1.0 if k == 1 else 1.4)))
        return [x * s for x in out]

    def graded_pairs(self, B, d, lo=0.1, hi=1.5):
        """(anchor, other) with other = anchor + sigma_i * noise, sigma growing over the rows, so the
        distances span both sides of a margin."""
        a = self.randn(B, d)
        sig = torch.linspace(lo, hi, B, dtype=F32).unsqueeze(1)
        return [a, a + sig * self.randn(B, d)]

    def classes(self, labels, d, spread=1.6, noise=1.0):
        lab = torch.tensor(labels)
        centers = self.randn(int(lab.max()) + 1, d, s=spread)
        return [centers[lab] + self.randn(len(labels), d, s=noise)], lab

    def layers(self, B, d, cols, L):
        """Per-column hidden-state embeddings: a shared base drifting layer by layer."""
        out = []
        for _ in range(cols):
            base = self.randn(B, d)
            out += [base + self.randn(B, d, s=0.6) for _ in range(L)]
        return out


SPECS = []


def add(name, loss, options, make, inner=None):
    assert all(s["name"] != name for s in SPECS), name
    SPECS.append({"name": name, "loss": loss, "options": options, "make": make, "inner": inner})


def inp(embeddings, labels=None, **extra):
    return {"embeddings": embeddings, "labels": labels, **extra}


def define_cases():
    MNRL = "MultipleNegativesRankingLoss"
    tags = {2: "pairs", 3: "1neg", 4: "2neg"}
    for cols in (2, 3, 4):
        add(f"mnrl_default_{tags[cols]}", MNRL, {}, lambda g, c=cols: inp(g.tuples(6, 10, c)))
    add("mnrl_scale_10_1neg", MNRL, {"scale": 10.0}, lambda g: inp(g.tuples(6, 10, 3)))
    add("mnrl_dot_score_1neg", MNRL, {"similarity_fct": "dot_score", "scale": 1.0}, lambda g: inp(g.tuples(6, 10, 3, s=0.5)))
    add("mnrl_euclidean_sim_pairs", MNRL, {"similarity_fct": "euclidean_sim", "scale": 2.0}, lambda g: inp(g.tuples(6, 10, 2)))
    add("mnrl_manhattan_sim_1neg", MNRL, {"similarity_fct": "manhattan_sim", "scale": 0.5}, lambda g: inp(g.tuples(6, 8, 3)))
    add("mnrl_batch_of_one_pairs", MNRL, {}, lambda g: inp(g.tuples(1, 10, 2)))
    add("mnrl_batch_of_one_1neg", MNRL, {}, lambda g: inp(g.tuples(1, 10, 3)))
    extra = [("query_to_query", "qq"), ("doc_to_query", "dq"), ("doc_to_doc", "dd")]
    for mask in range(8):
        chosen = [extra[i] for i in range(3) if mask >> i & 1]
        dirs = ["query_to_doc"] + [d for d, _ in chosen]
        tag = "_".join(["qd"] + [t for _, t in chosen])
        add(f"mnrl_joint_{tag}_1neg", MNRL, {"directions": dirs, "partition_mode": "joint"}, lambda g: inp(g.tuples(6, 10, 3)))
    all_dirs = ["query_to_doc", "query_to_query", "doc_to_query", "doc_to_doc"]
    add("mnrl_joint_qd_qq_dq_dd_pairs", MNRL, {"directions": all_dirs}, lambda g: inp(g.tuples(6, 10, 2)))
    add("mnrl_joint_qd_qq_dq_dd_2neg", MNRL, {"directions": all_dirs}, lambda g: inp(g.tuples(5, 10, 4)))
    add("mnrl_per_direction_qd_1neg", MNRL, {"partition_mode": "per_direction"}, lambda g: inp(g.tuples(6, 10, 3)))
    sym = ["query_to_doc", "doc_to_query"]
    for cols in (2, 3, 4):
        add(f"mnrl_per_direction_qd_dq_{tags[cols]}", MNRL, {"directions": sym, "partition_mode": "per_direction"},
            lambda g, c=cols: inp(g.tuples(6, 10, c)))
    for mode, strength in (("in_batch_negatives", 9.0), ("hard_negatives", 5.0), ("all_negatives", 5.0)):
        add(f"mnrl_hardness_{mode}_2neg", MNRL, {"hardness_mode": mode, "hardness_strength": strength},
            lambda g: inp(g.tuples(6, 10, 4)))
        add(f"mnrl_hardness_{mode}_pairs", MNRL, {"hardness_mode": mode, "hardness_strength": strength},
            lambda g: inp(g.tuples(6, 10, 2)))
    add("mnrl_hardness_all_negatives_joint_all_directions_1neg", MNRL,
        {"directions": all_dirs, "hardness_mode": "all_negatives", "hardness_strength": 5.0}, lambda g: inp(g.tuples(6, 10, 3)))
    add("mnrl_hardness_in_batch_negatives_per_direction_1neg", MNRL,
        {"directions": sym, "partition_mode": "per_direction", "hardness_mode": "in_batch_negatives", "hardness_strength": 9.0},
        lambda g: inp(g.tuples(6, 10, 3)))
    add("mnrl_hardness_hard_negatives_dot_score_1neg", MNRL,
        {"similarity_fct": "dot_score", "scale": 1.0, "hardness_mode": "hard_negatives", "hardness_strength": 2.0},
        lambda g: inp(g.tuples(6, 10, 3, s=0.5)))
    add("mnrl_hardness_mode_without_strength_1neg", MNRL, {"hardness_mode": "all_negatives"}, lambda g: inp(g.tuples(6, 10, 3)))

    MNSRL = "MultipleNegativesSymmetricRankingLoss"
    add("mnsrl_default_pairs", MNSRL, {}, lambda g: inp(g.tuples(6, 10, 2)))
    add("mnsrl_default_1neg", MNSRL, {}, lambda g: inp(g.tuples(6, 10, 3)))
    add("mnsrl_dot_score_scale_5_pairs", MNSRL, {"scale": 5.0, "similarity_fct": "dot_score"}, lambda g: inp(g.tuples(6, 10, 2, s=0.4)))

    CMNRL = "CachedMultipleNegativesRankingLoss"
    add("cached_mnrl_default_pairs", CMNRL, {}, lambda g: inp(g.tuples(6, 10, 2)))
    add("cached_mnrl_mini_2_1neg", CMNRL, {"mini_batch_size": 2}, lambda g: inp(g.tuples(6, 10, 3)))
    add("cached_mnrl_mini_4_uneven_2neg", CMNRL, {"mini_batch_size": 4}, lambda g: inp(g.tuples(6, 10, 4)))
    add("cached_mnrl_joint_all_directions_mini_3_1neg", CMNRL, {"mini_batch_size": 3, "directions": all_dirs},
        lambda g: inp(g.tuples(6, 10, 3)))
    add("cached_mnrl_per_direction_mini_2_pairs", CMNRL, {"mini_batch_size": 2, "directions": sym, "partition_mode": "per_direction"},
        lambda g: inp(g.tuples(6, 10, 2)))
    add("cached_mnrl_hardness_all_negatives_mini_4_2neg", CMNRL,
        {"mini_batch_size": 4, "hardness_mode": "all_negatives", "hardness_strength": 5.0}, lambda g: inp(g.tuples(6, 10, 4)))
    CMNSRL = "CachedMultipleNegativesSymmetricRankingLoss"
    add("cached_mnsrl_mini_2_pairs", CMNSRL, {"mini_batch_size": 2}, lambda g: inp(g.tuples(6, 10, 2)))
    add("cached_mnsrl_mini_4_1neg", CMNSRL, {"mini_batch_size": 4, "scale": 10.0}, lambda g: inp(g.tuples(6, 10, 3)))

    def gist_inputs(g, B, cols, d=10, gd=8, flip_rows=()):
        # Model embeddings share a direction, so in-batch cosines are high and close to the positives' (at
        # temperature 0.01 anything else gives a loss of ~0). The guide (another dimension) sees the same
        # structure through a projection plus its own noise, so it masks some entries, not all.
        common = g.randn(1, d)
        anchors = common + g.randn(B, d, s=0.35)
        E = [anchors] + [anchors + g.randn(B, d, s=0.3 * (1.0 if k == 1 else 1.2)) for k in range(1, cols)]
        proj = g.randn(d, gd, s=1 / math.sqrt(d))
        guide_common = g.randn(1, gd)
        guide = [guide_common + (e - common) @ proj * 2 + g.randn(B, gd, s=0.35) for e in E]
        for r in flip_rows:  # the guide scores these positive pairs below zero (negative thresholds)
            guide[1][r] = -guide[0][r] + g.randn(gd, s=0.3)
        return inp(E, guide=guide)

    GIST = "GISTEmbedLoss"
    add("gist_default_pairs", GIST, {}, lambda g: gist_inputs(g, 6, 2))
    add("gist_default_triplets", GIST, {}, lambda g: gist_inputs(g, 6, 3))
    add("gist_absolute_margin_0.1_triplets", GIST, {"margin_strategy": "absolute", "margin": 0.1}, lambda g: gist_inputs(g, 6, 3))
    add("gist_relative_margin_0.1_pairs", GIST, {"margin_strategy": "relative", "margin": 0.1}, lambda g: gist_inputs(g, 6, 2))
    add("gist_relative_margin_0.3_negative_thresholds_pairs", GIST, {"margin_strategy": "relative", "margin": 0.3},
        lambda g: gist_inputs(g, 6, 2, flip_rows=(0, 3)))
    add("gist_no_contrast_anchors_triplets", GIST, {"contrast_anchors": False}, lambda g: gist_inputs(g, 6, 3))
    add("gist_no_contrast_positives_pairs", GIST, {"contrast_positives": False}, lambda g: gist_inputs(g, 6, 2))
    add("gist_no_contrast_anchors_positives_triplets", GIST, {"contrast_anchors": False, "contrast_positives": False},
        lambda g: gist_inputs(g, 6, 3))
    add("gist_temperature_0.05_margin_0.05_pairs", GIST, {"temperature": 0.05, "margin": 0.05}, lambda g: gist_inputs(g, 6, 2))
    CGIST = "CachedGISTEmbedLoss"
    add("cached_gist_mini_2_triplets", CGIST, {"mini_batch_size": 2}, lambda g: gist_inputs(g, 6, 3))
    add("cached_gist_2neg_mini_4_margin_0.05", CGIST, {"mini_batch_size": 4, "margin": 0.05}, lambda g: gist_inputs(g, 6, 4))
    add("cached_gist_relative_mini_3_pairs", CGIST, {"mini_batch_size": 3, "margin_strategy": "relative", "margin": 0.1},
        lambda g: gist_inputs(g, 6, 2))

    MEGA = "MegaBatchMarginLoss"
    add("mega_batch_margin_default", MEGA, {}, lambda g: inp(g.graded_pairs(6, 10, 0.2, 1.4)))
    add("mega_batch_margin_margins", MEGA, {"positive_margin": 0.6, "negative_margin": 0.1}, lambda g: inp(g.graded_pairs(6, 10, 0.2, 1.4)))
    add("mega_batch_margin_not_mini_batched", MEGA, {"use_mini_batched_version": False}, lambda g: inp(g.graded_pairs(7, 8, 0.2, 1.4)))
    add("mega_batch_margin_mini_batch_2", MEGA, {"mini_batch_size": 2}, lambda g: inp(g.graded_pairs(6, 10, 0.2, 1.4)))

    COSENT = "CoSENTLoss"
    add("cosent_default", COSENT, {}, lambda g: inp(g.graded_pairs(8, 10, 0.2, 1.5), g.rand(8)))
    add("cosent_tied_labels", COSENT, {}, lambda g: inp(g.graded_pairs(8, 10, 0.2, 1.5),
                                                        torch.tensor([0.2, 0.5, 0.5, 0.9, 0.2, 0.7, 0.5, 0.9])))
    add("cosent_all_labels_equal", COSENT, {}, lambda g: inp(g.graded_pairs(5, 10), torch.full((5,), 0.5)))
    add("cosent_scale_5_dot_score", COSENT, {"scale": 5.0, "similarity_fct": "pairwise_dot_score"},
        lambda g: inp([x * 0.4 for x in g.graded_pairs(7, 8)], g.rand(7, lo=-1.0, hi=1.0)))
    add("cosent_euclidean_sim", COSENT, {"scale": 1.0, "similarity_fct": "pairwise_euclidean_sim"},
        lambda g: inp(g.graded_pairs(6, 8), g.rand(6)))
    ANGLE = "AnglELoss"
    add("angle_even_d", ANGLE, {}, lambda g: inp(g.graded_pairs(8, 10, 0.2, 1.5), g.rand(8)))
    add("angle_odd_d", ANGLE, {}, lambda g: inp(g.graded_pairs(8, 9, 0.2, 1.5), g.rand(8)))
    add("angle_scale_10_tied_labels", ANGLE, {"scale": 10.0}, lambda g: inp(g.graded_pairs(6, 8), torch.tensor([1.0, 0.0, 1.0, 0.0, 0.5, 1.0])))
    add("angle_ntuple_no_labels_1neg", ANGLE, {}, lambda g: inp(g.tuples(5, 8, 3)))
    add("angle_ntuple_labels_2neg_odd_d", ANGLE, {}, lambda g: inp(g.tuples(5, 7, 4), g.rand(5, lo=0.5, hi=1.0)))
    add("cosine_similarity_default", "CosineSimilarityLoss", {}, lambda g: inp(g.graded_pairs(8, 10, 0.2, 2.0), g.rand(8)))
    add("cosine_similarity_negative_labels", "CosineSimilarityLoss", {}, lambda g: inp(g.tuples(6, 8, 2), g.rand(6, lo=-1.0, hi=1.0)))

    CONTR = "ContrastiveLoss"
    binary = torch.tensor([1, 0, 1, 0, 0, 1, 0, 1])
    contrastive_metrics = (("COSINE_DISTANCE", None), ("EUCLIDEAN", 2.0), ("MANHATTAN", 5.0))
    for metric, margin in contrastive_metrics:
        o = {"distance_metric": metric} if margin is None else {"distance_metric": metric, "margin": margin}
        add(f"contrastive_{metric.lower()}", CONTR, o, lambda g: inp(g.graded_pairs(8, 10, 0.1, 1.5), binary))
        add(f"contrastive_{metric.lower()}_sum", CONTR, {**o, "size_average": False},
            lambda g: inp(g.graded_pairs(8, 10, 0.1, 1.5), binary))
    add("contrastive_default_fractional_labels", CONTR, {}, lambda g: inp(g.graded_pairs(6, 10, 0.1, 1.5),
                                                                           torch.tensor([1.0, 0.0, 0.3, 0.8, 0.0, 1.0])))
    ONLINE = "OnlineContrastiveLoss"
    mixed = torch.tensor([1, 0, 1, 0, 1, 0, 0, 1, 1, 0])

    def overlapping_pairs(g, labels, d=10):
        # positives far-ish and negatives close-ish in places, so both hard sets are non-empty
        a = g.randn(len(labels), d)
        sig = 0.25 + 1.3 * g.rand(len(labels))
        return [a, a + sig.unsqueeze(1) * g.randn(len(labels), d)]

    for metric, margin in contrastive_metrics:
        o = {"distance_metric": metric} if margin is None else {"distance_metric": metric, "margin": margin}
        add(f"online_contrastive_{metric.lower()}", ONLINE, o, lambda g: inp(overlapping_pairs(g, mixed), mixed))
    edge = {
        "one_positive": torch.tensor([0, 0, 1, 0, 0, 0]),
        "one_negative": torch.tensor([1, 1, 1, 0, 1, 1]),
        "no_positive": torch.tensor([0, 0, 0, 0, 0]),
        "no_negative": torch.tensor([1, 1, 1, 1, 1]),
    }
    for tag, labels in edge.items():
        add(f"online_contrastive_{tag}", ONLINE, {}, lambda g, y=labels: inp(overlapping_pairs(g, y), y))
    add("online_contrastive_euclidean_one_positive", ONLINE, {"distance_metric": "EUCLIDEAN", "margin": 3.0},
        lambda g: inp(overlapping_pairs(g, edge["one_positive"]), edge["one_positive"]))

    TRIP = "TripletLoss"
    add("triplet_euclidean_default", TRIP, {}, lambda g: inp(g.tuples(6, 10, 3)))
    add("triplet_euclidean_margin_1", TRIP, {"triplet_margin": 1.0}, lambda g: inp(g.tuples(8, 10, 3)))
    add("triplet_manhattan_margin_3", TRIP, {"distance_metric": "MANHATTAN", "triplet_margin": 3.0}, lambda g: inp(g.tuples(8, 10, 3)))
    add("triplet_cosine_margin_0.3", TRIP, {"distance_metric": "COSINE", "triplet_margin": 0.3}, lambda g: inp(g.tuples(8, 10, 3)))

    groups = [0, 0, 1, 1, 2, 2, 0, 1]
    batch_edge = {
        "no_valid_triplet_one_class": [3, 3, 3, 3, 3],
        "no_valid_triplet_distinct_labels": [0, 1, 2, 3, 4],
        "anchor_without_positive": [0, 0, 1, 1, 1, 2, 3],
    }
    def with_outlier(g, labels):
        (emb,), lab = g.classes(labels, 8)
        emb[6] = -1.5 * emb[0] + g.randn(8, s=0.1)
        return inp([emb], lab)

    batch_metrics = (("euclidean_distance", 1.0), ("squared_euclidean_distance", 12.0), ("cosine_distance", 0.3))
    for loss, short in (("BatchAllTripletLoss", "batch_all"), ("BatchHardTripletLoss", "batch_hard"),
                        ("BatchHardSoftMarginTripletLoss", "batch_hard_soft_margin"), ("BatchSemiHardTripletLoss", "batch_semi_hard")):
        has_margin = loss != "BatchHardSoftMarginTripletLoss"
        add(f"{short}_default", loss, {}, lambda g: inp(*g.classes(groups, 8)))
        for metric, margin in batch_metrics:
            o = {"distance_metric": metric, "margin": margin} if has_margin else {"distance_metric": metric}
            add(f"{short}_{metric}", loss, o, lambda g: inp(*g.classes(groups, 8)))
        if loss == "BatchSemiHardTripletLoss":  # row 6 (class 0) opposite row 0: no negative is farther than it
            add(f"{short}_fallback_farthest_negative", loss, {"margin": 1.0}, lambda g: with_outlier(g, groups))
            add(f"{short}_fallback_farthest_negative_cosine_distance", loss, {"distance_metric": "cosine_distance", "margin": 0.2},
                lambda g: with_outlier(g, groups))
        for tag, labels in batch_edge.items():
            add(f"{short}_{tag}", loss, {}, lambda g, y=labels: inp(*g.classes(y, 8)))
            add(f"{short}_{tag}_cosine_distance", loss, {"distance_metric": "cosine_distance"},
                lambda g, y=labels: inp(*g.classes(y, 8)))

    def softmax_inputs(g, k, B=6, d=8, num_labels=3):
        return inp(g.tuples(B, d, 2), torch.randint(0, num_labels, (B,), generator=g.g),
                   params={"weight": g.randn(num_labels, k * d, s=0.3), "bias": g.randn(num_labels, s=0.1)})

    SOFT = "SoftmaxLoss"
    add("softmax_default", SOFT, {"embedding_dimension": 8, "num_labels": 3}, lambda g: softmax_inputs(g, 3))
    add("softmax_with_multiplication", SOFT, {"embedding_dimension": 8, "num_labels": 3, "concatenation_sent_multiplication": True},
        lambda g: softmax_inputs(g, 4))
    add("softmax_rep_only_4_labels", SOFT, {"embedding_dimension": 8, "num_labels": 4, "concatenation_sent_difference": False},
        lambda g: softmax_inputs(g, 2, num_labels=4))
    add("softmax_difference_and_multiplication", SOFT,
        {"embedding_dimension": 8, "num_labels": 2, "concatenation_sent_rep": False, "concatenation_sent_multiplication": True},
        lambda g: softmax_inputs(g, 2, num_labels=2))

    def distill_inputs(g, cols, d=8, dt=8, three_d=False, projection=None):
        E = [g.randn(6, d) for _ in range(cols)]
        labels = g.randn(6, cols, dt) if three_d else g.randn(6, dt)
        extra = {}
        if projection:
            extra["params"] = {"weight": g.randn(projection, d, s=0.35), "bias": g.randn(projection, s=0.1)}
        return inp(E, labels, **extra)

    MSE = "MSELoss"
    add("mse_2d_labels_one_column", MSE, {}, lambda g: distill_inputs(g, 1))
    add("mse_2d_labels_multilingual_two_columns", MSE, {}, lambda g: distill_inputs(g, 2))
    add("mse_3d_labels_two_columns", MSE, {}, lambda g: distill_inputs(g, 2, three_d=True))
    add("mse_projection_dim_6", MSE, {"projection_dim": 6}, lambda g: distill_inputs(g, 2, dt=6, projection=6))
    ED = "EmbedDistillLoss"
    add("embed_distill_cosine_default", ED, {}, lambda g: distill_inputs(g, 2))
    add("embed_distill_mse", ED, {"distance_metric": "mse"}, lambda g: distill_inputs(g, 1))
    add("embed_distill_l2", ED, {"distance_metric": "l2"}, lambda g: distill_inputs(g, 2))
    add("embed_distill_cosine_3d_labels", ED, {"distance_metric": "cosine"}, lambda g: distill_inputs(g, 3, three_d=True))
    add("embed_distill_l2_projection_dim_7", ED, {"distance_metric": "l2", "projection_dim": 7},
        lambda g: distill_inputs(g, 1, dt=7, projection=7))

    MM = "MarginMSELoss"
    add("margin_mse_1d_labels_1neg", MM, {}, lambda g: inp(g.tuples(6, 8, 3, s=0.5), g.randn(6)))
    add("margin_mse_bk_margins_2neg", MM, {}, lambda g: inp(g.tuples(6, 8, 4, s=0.5), g.randn(6, 2)))
    add("margin_mse_bk_margins_1neg", MM, {}, lambda g: inp(g.tuples(6, 8, 3, s=0.5), g.randn(6, 1)))
    add("margin_mse_bk1_scores_1neg", MM, {}, lambda g: inp(g.tuples(6, 8, 3, s=0.5), g.randn(6, 2)))
    add("margin_mse_bk1_scores_2neg", MM, {}, lambda g: inp(g.tuples(6, 8, 4, s=0.5), g.randn(6, 3)))
    add("margin_mse_cos_sim_2neg", MM, {"similarity_fct": "pairwise_cos_sim"}, lambda g: inp(g.tuples(6, 8, 4), g.randn(6, 2, s=0.3)))
    KL = "DistillKLDivLoss"
    add("distill_kl_div_default_1neg", KL, {}, lambda g: inp(g.tuples(6, 8, 3, s=0.5), g.randn(6, 2)))
    add("distill_kl_div_temperature_2_2neg", KL, {"temperature": 2.0}, lambda g: inp(g.tuples(6, 8, 4, s=0.5), g.randn(6, 3, s=2.0)))
    add("distill_kl_div_student_teacher_temperatures_2neg", KL, {"student_temperature": 0.5, "teacher_temperature": 2.0},
        lambda g: inp(g.tuples(6, 8, 4, s=0.3), g.randn(6, 3, s=2.0)))
    add("distill_kl_div_cos_sim_temperature_0.05_1neg", KL, {"similarity_fct": "pairwise_cos_sim", "temperature": 0.05},
        lambda g: inp(g.tuples(6, 8, 3), g.rand(6, 2)))

    def tension_inputs(g, labels, d=10):
        a = g.randn(len(labels), d, s=0.5)
        b = torch.where(torch.tensor(labels).bool().unsqueeze(1), a + g.randn(len(labels), d, s=0.1), g.randn(len(labels), d, s=0.5))
        return inp([a, b], torch.tensor(labels, dtype=F32))

    add("contrastive_tension_explicit_labels", "ContrastiveTensionLoss", {}, lambda g: tension_inputs(g, [1, 0, 0, 0, 0, 0, 0, 0]))
    add("contrastive_tension_two_positives", "ContrastiveTensionLoss", {}, lambda g: tension_inputs(g, [1, 0, 0, 1, 0, 0]))
    CTB = "ContrastiveTensionLossInBatchNegatives"

    def in_batch_tension(g, scale, s=1.0):
        a = g.randn(6, 10, s=s)
        return inp([a, a + g.randn(6, 10, s=0.7 * s)], params={"logit_scale": torch.tensor(math.log(scale), dtype=F32)})

    add("ct_in_batch_default", CTB, {}, lambda g: in_batch_tension(g, 20.0))
    add("ct_in_batch_dot_score_scale_5", CTB, {"scale": 5.0, "similarity_fct": "dot_score"}, lambda g: in_batch_tension(g, 5.0, s=0.3))

    def correlated(g, cols, B, d, shared=0.8):
        common = g.randn(1, d)
        return inp([shared * common + g.randn(B, d) for _ in range(cols)])

    def equal_cosines(g, B, d, alpha=0.5):
        # rows q_i + alpha * c with orthonormal q_i, c: every pairwise cosine ~ alpha^2 / (1 + alpha^2) = 0.2,
        # so M1^2 = 0.04 is active and M2 = 0.04 < 1/d: the second-moment ReLU is inactive.
        q, _ = torch.linalg.qr(g.randn(d, d).to(F64))
        rows = q[:, :B].T + alpha * q[:, B]
        return inp([rows.to(F32) + g.randn(B, d, s=0.01)])

    GOR = "GlobalOrthogonalRegularizationLoss"
    add("gor_default_two_columns", GOR, {}, lambda g: correlated(g, 2, 6, 16))
    add("gor_single_column", GOR, {}, lambda g: correlated(g, 1, 7, 12))
    add("gor_sum_aggregation_three_columns", GOR, {"aggregation": "sum"}, lambda g: correlated(g, 3, 5, 16))
    add("gor_second_moment_only", GOR, {"mean_weight": 0.0, "aggregation": "sum"}, lambda g: correlated(g, 2, 6, 16))
    add("gor_mean_only", GOR, {"second_moment_weight": None}, lambda g: correlated(g, 2, 6, 16))
    add("gor_weights_dot_score", GOR, {"similarity_fct": "dot_score", "mean_weight": 0.5, "second_moment_weight": 2.0},
        lambda g: inp([x * 0.3 for x in correlated(g, 2, 6, 10)["embeddings"]]))
    add("gor_second_moment_inactive", GOR, {}, lambda g: equal_cosines(g, 6, 12))

    MAT = "MatryoshkaLoss"
    add("matryoshka_mnrl_all_dims", MAT, {"matryoshka_dims": [12, 8, 4]}, lambda g: inp(g.tuples(6, 12, 3)), inner=(MNRL, {}))
    add("matryoshka_mnrl_unsorted_dims_weights", MAT, {"matryoshka_dims": [4, 12, 8], "matryoshka_weights": [0.25, 1.0, 0.5]},
        lambda g: inp(g.tuples(6, 12, 3)), inner=(MNRL, {}))
    add("matryoshka_mnrl_dot_score", MAT, {"matryoshka_dims": [12, 6]}, lambda g: inp(g.tuples(6, 12, 2)),
        inner=(MNRL, {"similarity_fct": "dot_score", "scale": 1.0}))
    add("matryoshka_mnrl_n_dims_per_step_2", MAT, {"matryoshka_dims": [12, 8, 6, 4], "n_dims_per_step": 2},
        lambda g: inp(g.tuples(6, 12, 3)), inner=(MNRL, {}))
    add("matryoshka_mnrl_hardness", MAT, {"matryoshka_dims": [12, 8, 4]}, lambda g: inp(g.tuples(6, 12, 3)),
        inner=(MNRL, {"hardness_mode": "all_negatives", "hardness_strength": 5.0}))
    add("matryoshka_cached_mnrl_mini_2", MAT, {"matryoshka_dims": [12, 8, 4], "matryoshka_weights": [1.0, 0.5, 0.5]},
        lambda g: inp(g.tuples(6, 12, 2)), inner=(CMNRL, {"mini_batch_size": 2}))
    add("matryoshka_cosent", MAT, {"matryoshka_dims": [12, 8, 4]}, lambda g: inp(g.graded_pairs(8, 12), g.rand(8)), inner=(COSENT, {}))
    add("matryoshka_margin_mse", MAT, {"matryoshka_dims": [12, 6]}, lambda g: inp(g.tuples(6, 12, 3, s=0.5), g.randn(6, s=0.3)),
        inner=(MM, {}))
    add("matryoshka_mse_truncated_labels", MAT, {"matryoshka_dims": [12, 8, 4]}, lambda g: inp([g.randn(6, 12)], g.randn(6, 12, s=0.3)),
        inner=(MSE, {}))

    AL = "AdaptiveLayerLoss"
    add("adaptive_layer_mnrl_all_layers", AL, {"n_layers_per_step": -1}, lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("adaptive_layer_mnrl_default", AL, {}, lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("adaptive_layer_mnrl_two_layers_log", AL, {"n_layers_per_step": 2, "layer_weighting": "log"},
        lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("adaptive_layer_mnrl_all_layers_linear", AL, {"n_layers_per_step": -1, "layer_weighting": "linear"},
        lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("adaptive_layer_mnrl_no_kl", AL, {"n_layers_per_step": -1, "kl_temperature": 0.0},
        lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("adaptive_layer_mnrl_weights", AL,
        {"n_layers_per_step": 2, "last_layer_weight": 2.0, "prior_layers_weight": 0.5, "kl_div_weight": 0.7, "kl_temperature": 0.5},
        lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("adaptive_layer_mnrl_1neg_three_hidden_states", AL, {"n_layers_per_step": -1},
        lambda g: inp(g.layers(5, 8, 3, 3), numLayers=3), inner=(MNRL, {}))
    add("adaptive_layer_cosent_all_layers", AL, {"n_layers_per_step": -1},
        lambda g: inp(g.layers(6, 8, 2, 4), g.rand(6), numLayers=4), inner=(COSENT, {}))

    M2D = "Matryoshka2dLoss"
    add("matryoshka2d_mnrl_default", M2D, {"matryoshka_dims": [8, 6, 4]}, lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("matryoshka2d_mnrl_all_layers_all_dims", M2D, {"matryoshka_dims": [8, 4], "n_layers_per_step": -1, "n_dims_per_step": -1},
        lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("matryoshka2d_mnrl_two_each_weights", M2D,
        {"matryoshka_dims": [8, 6, 4, 2], "matryoshka_weights": [1.0, 0.5, 0.5, 0.25], "n_layers_per_step": 2,
         "n_dims_per_step": 2, "kl_temperature": 0.5},
        lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("matryoshka2d_mnrl_log_weighting_all_layers", M2D, {"matryoshka_dims": [8, 4], "n_layers_per_step": -1, "layer_weighting": "log"},
        lambda g: inp(g.layers(5, 8, 2, 4), numLayers=4), inner=(MNRL, {}))
    add("matryoshka2d_cosent", M2D, {"matryoshka_dims": [8, 6, 4]}, lambda g: inp(g.layers(6, 8, 2, 4), g.rand(6), numLayers=4),
        inner=(COSENT, {}))


# ----------------------------------------------------------------------------------------------------
# Running a case: float64 value and gradients, self-checks, JSON
# ----------------------------------------------------------------------------------------------------


def cast(x, dtype):
    return x.to(dtype) if isinstance(x, torch.Tensor) and x.is_floating_point() else x


def evaluate(spec, inputs, dtype, draws, embeddings, params, frozen, guide=None):
    guide = guide if guide is not None else [cast(x, dtype) for x in inputs.get("guide", [])]
    ctx = Ctx(frozen=frozen, guide=guide or None, params=params, draws=draws, num_layers=inputs.get("numLayers"), inner=spec["inner"])
    out = LOSSES[spec["loss"]](embeddings, cast(inputs["labels"], dtype), spec["options"], ctx)
    return out if isinstance(out, tuple) else (out, None)


def value_and_grads(spec, inputs, dtype, draws, nudge=None):
    """Loss, parts and gradients w.r.t. every embedding matrix and loss-owned parameter."""
    def moved(x):
        x = cast(x, dtype)
        return x if nudge is None else x * (1 + nudge * torch.sign(torch.randn(x.shape, generator=NUDGE_RNG, dtype=F64)).to(dtype))

    E = [moved(e).detach().requires_grad_() for e in inputs["embeddings"]]
    P = {k: moved(v).detach().requires_grad_() for k, v in inputs.get("params", {}).items()}
    guide = [moved(x) for x in inputs.get("guide", [])]
    loss, parts = evaluate(spec, inputs, dtype, draws, E, P, [e.detach() for e in E], guide)
    leaves = E + list(P.values())
    grads = torch.autograd.grad(loss, leaves, allow_unused=True) if loss.requires_grad else [None] * len(leaves)
    grads = [torch.zeros_like(x) if gr is None else gr for x, gr in zip(leaves, grads)]
    return loss.detach(), parts, grads[: len(E)], dict(zip(P, grads[len(E) :]))


NUDGE_RNG = torch.Generator().manual_seed(7)


def finite_difference_check(spec, inputs, draws, grads, pgrads, rng, n_coords=48, h=1e-6):
    """Central differences in float64 on a random sample of coordinates; stop-gradient values stay at the
    base point (`frozen`), so this checks exactly the gradient the reference back-propagates."""
    E0 = [cast(e, F64) for e in inputs["embeddings"]]
    P0 = {k: cast(v, F64) for k, v in inputs.get("params", {}).items()}
    frozen = [e.clone() for e in E0]
    tensors = E0 + list(P0.values())
    analytic = grads + list(pgrads.values())
    coords = [(t, i) for t, x in enumerate(tensors) for i in range(x.numel())]
    rng.shuffle(coords)
    scale = max(1.0, max(float(g.abs().max()) for g in analytic))
    worst = 0.0
    for t, i in coords[:n_coords]:
        vals = []
        for sgn in (1, -1):
            moved = [x.clone().contiguous() for x in tensors]
            moved[t].view(-1)[i] += sgn * h
            with torch.no_grad():
                loss, _ = evaluate(spec, inputs, F64, draws.replay(), moved[: len(E0)], dict(zip(P0, moved[len(E0) :])), frozen)
            vals.append(float(loss))
        fd = (vals[0] - vals[1]) / (2 * h)
        worst = max(worst, abs(fd - float(analytic[t].reshape(-1)[i])) / scale)
    assert worst < 2e-6, f"{spec['name']}: finite differences disagree with autograd (relative {worst:.2e})"
    return worst


def float32_check(spec, inputs, draws, loss64, grads64, pgrads64, seed):
    """The case recomputed in float32, and with inputs nudged by ~2e-6 relative: a case sitting on a
    discontinuity (mask flip, argmax change, ReLU kink) shows up as a large difference here."""
    ref = [loss64.reshape(1)] + grads64 + list(pgrads64.values())
    scale = max(1.0, max(float(g.abs().max()) for g in ref[1:]))
    worst = 0.0
    NUDGE_RNG.manual_seed(seed)
    for nudge in (None, 2e-6, -2e-6):
        loss, _, grads, pgrads = value_and_grads(spec, inputs, F32, draws.replay(), nudge)
        got = [loss.reshape(1)] + grads + list(pgrads.values())
        value_err = abs(float(loss) - float(loss64)) / max(1.0, abs(float(loss64)))
        grad_err = max(float((g.to(F64) - r).abs().max()) for g, r in zip(got[1:], ref[1:])) / scale
        worst = max(worst, value_err, grad_err)
    return worst


ROBUST_LIMIT = 2e-5  # well under the TypeScript tests' 1e-4


def rounded(x):
    if isinstance(x, torch.Tensor):
        x = x.tolist()
    if isinstance(x, list):
        return [rounded(v) for v in x]
    if isinstance(x, bool) or isinstance(x, int) or x is None or isinstance(x, str):
        return x
    assert math.isfinite(x), x
    v = float(f"{x:.9g}")
    return 0.0 if v == 0 else v


def contiguous(inputs):
    out = dict(inputs)
    for key in ("embeddings", "guide"):
        if key in out:
            out[key] = [x.contiguous() for x in out[key]]
    if "params" in out:
        out["params"] = {k: v.contiguous() for k, v in out["params"].items()}
    return out


def run_case(spec):
    last_error = None
    for attempt in range(8):
        seed = zlib.crc32(f"{spec['name']}/{attempt}".encode())
        inputs = contiguous(spec["make"](Gen(seed)))
        draws = Draws(seed)
        loss, parts, grads, pgrads = value_and_grads(spec, inputs, F64, draws)
        fd = finite_difference_check(spec, inputs, draws, grads, pgrads, random.Random(seed))
        robust = float32_check(spec, inputs, draws, loss, grads, pgrads, seed)
        if robust < ROBUST_LIMIT:
            break
        last_error = f"{spec['name']}: float32 / nudged recomputation differs by {robust:.2e} (attempt {attempt})"
        print("  retry:", last_error)
    else:
        raise AssertionError(last_error)
    case = {"name": spec["name"], "loss": spec["loss"], "options": spec["options"]}
    if spec["inner"]:
        case["inner"] = {"loss": spec["inner"][0], "options": spec["inner"][1]}
    case_inputs = {"embeddings": rounded(inputs["embeddings"]), "labels": rounded(inputs["labels"])}
    if "numLayers" in inputs:
        case_inputs["numLayers"] = inputs["numLayers"]
    if "guide" in inputs:
        case_inputs["guideEmbeddings"] = rounded(inputs["guide"])
    if "params" in inputs:
        case_inputs["moduleParams"] = {k: rounded(v) for k, v in inputs["params"].items()}
    if draws.log:
        case_inputs["randomSamples"] = draws.log
    case["inputs"] = case_inputs
    expected = {"loss": rounded(float(loss)), "grads": rounded(grads)}
    if pgrads:
        expected["paramGrads"] = {k: rounded(v) for k, v in pgrads.items()}
    if parts is not None:
        expected["parts"] = {k: rounded(float(v)) for k, v in parts.items()}
    case["expected"] = expected
    return case, fd, robust, attempt


def similarity_cases():
    g = Gen(zlib.crc32(b"similarity"))
    out = []

    def emit(name, fn, a, b):
        fns = {**MATRIX_SIM, **PAIRWISE_SIM}
        a64, b64 = a.to(F64).requires_grad_(), b.to(F64).requires_grad_()
        sim = fns[fn](a64, b64)
        upstream = g.randn(*sim.shape)
        grad_a, grad_b = torch.autograd.grad((sim * upstream.to(F64)).sum(), [a64, b64])
        out.append({"name": name, "fn": fn, "a": rounded(a), "b": rounded(b), "expected": rounded(sim.detach()),
                    "upstream": rounded(upstream), "gradA": rounded(grad_a), "gradB": rounded(grad_b)})

    a = g.randn(5, 7)
    a[2] = 0.0  # F.normalize keeps a zero row at zero: cosine 0, not NaN
    emit("cos_sim_with_zero_row", "cos_sim", a, g.randn(4, 7))
    emit("dot_score", "dot_score", g.randn(4, 6), g.randn(5, 6))
    a, b = g.randn(4, 6), g.randn(3, 6)
    b[1] = a[0]  # distance exactly 0
    emit("euclidean_sim_with_identical_rows", "euclidean_sim", a, b)
    emit("manhattan_sim", "manhattan_sim", g.randn(4, 6), g.randn(5, 6))
    for fn in ("pairwise_cos_sim", "pairwise_dot_score", "pairwise_euclidean_sim", "pairwise_manhattan_sim"):
        emit(fn, fn, g.randn(5, 8), g.randn(5, 8))
    emit("pairwise_angle_sim_even_d", "pairwise_angle_sim", g.randn(5, 8), g.randn(5, 8))
    emit("pairwise_angle_sim_odd_d", "pairwise_angle_sim", g.randn(5, 7), g.randn(5, 7))
    emit("pairwise_angle_sim_d_1", "pairwise_angle_sim", g.randn(3, 1), g.randn(3, 1))
    return out


def main():
    define_cases()
    cases = []
    worst_fd = worst_robust = 0.0
    for spec in SPECS:
        case, fd, robust, attempt = run_case(spec)
        worst_fd, worst_robust = max(worst_fd, fd), max(worst_robust, robust)
        note = f" (seed attempt {attempt})" if attempt else ""
        print(f"{spec['name']:<58} loss {case['expected']['loss']:<14.9g} fd {fd:.1e}  f32 {robust:.1e}{note}")
        cases.append(case)
    sim = similarity_cases()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write('{"generator":"test/reference/losses.py","reference":"sentence-transformers v6.0.0",\n"cases":[\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write('\n],\n"similarity":[\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in sim))
        f.write("\n]}\n")
    print(f"{len(cases)} loss cases, {len(sim)} similarity cases -> {os.path.relpath(OUT)} ({os.path.getsize(OUT) / 1e6:.2f} MB)")
    print(f"worst finite-difference mismatch {worst_fd:.1e}; worst float32/nudged difference {worst_robust:.1e}")


if __name__ == "__main__":
    main()
