"""Reference values for sdk/src/util (search, mining, clustering, quantization) and the PCA of sdk/src/plots.

Run from the repository root:  /usr/bin/python3 test/reference/embedding-utils.py
Writes test/reference/fixtures/embedding-utils.json.

The functions below restate sentence-transformers' util code (v3-v5) with torch and numpy, since the package
itself is not installed here: semantic_search, paraphrase_mining_embeddings, community_detection (its CPU
path) and quantize_embeddings. PCA comes from numpy's eigh of the covariance.
"""
import heapq
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def cos_sim(a, b):
    a = torch.nn.functional.normalize(a, p=2, dim=1)
    b = torch.nn.functional.normalize(b, p=2, dim=1)
    return a @ b.T


def semantic_search(query_embeddings, corpus_embeddings, query_chunk_size=100, corpus_chunk_size=500000, top_k=10):
    results = [[] for _ in range(len(query_embeddings))]
    for qs in range(0, len(query_embeddings), query_chunk_size):
        for cs in range(0, len(corpus_embeddings), corpus_chunk_size):
            scores = cos_sim(query_embeddings[qs:qs + query_chunk_size], corpus_embeddings[cs:cs + corpus_chunk_size])
            values, idx = torch.topk(scores, min(top_k, len(scores[0])), dim=1, largest=True, sorted=False)
            for q in range(len(scores)):
                for sub, score in zip(idx[q].tolist(), values[q].tolist()):
                    if len(results[qs + q]) < top_k:
                        heapq.heappush(results[qs + q], (score, cs + sub))
                    else:
                        heapq.heappushpop(results[qs + q], (score, cs + sub))
    return [[{"corpus_id": c, "score": s} for s, c in sorted(r, key=lambda x: x[0], reverse=True)] for r in results]


def paraphrase_mining_embeddings(embeddings, query_chunk_size=5000, corpus_chunk_size=100000, max_pairs=500000, top_k=100):
    top_k += 1
    pairs = []
    for cs in range(0, len(embeddings), corpus_chunk_size):
        for qs in range(0, len(embeddings), query_chunk_size):
            scores = cos_sim(embeddings[qs:qs + query_chunk_size], embeddings[cs:cs + corpus_chunk_size])
            values, idx = torch.topk(scores, min(top_k, len(scores[0])), dim=1, largest=True, sorted=False)
            for q in range(len(scores)):
                for t, c in enumerate(idx[q].tolist()):
                    i, j = qs + q, cs + c
                    if i != j:
                        pairs.append((values[q][t].item(), i, j))
    seen, out = set(), []
    for score, i, j in sorted(pairs, key=lambda x: -x[0]):
        a, b = sorted([i, j])
        if (a, b) not in seen:
            seen.add((a, b))
            out.append([score, a, b])
    return out[:max_pairs]


def community_detection(embeddings, threshold=0.75, min_community_size=10, batch_size=1024):
    embeddings = torch.nn.functional.normalize(embeddings, p=2, dim=1)
    threshold = torch.tensor(threshold)
    extracted = []
    min_community_size = min(min_community_size, len(embeddings))
    sort_max_size = min(max(2 * min_community_size, 50), len(embeddings))
    for start in range(0, len(embeddings), batch_size):
        cos_scores = embeddings[start:start + batch_size] @ embeddings.T
        top_k_values, _ = cos_scores.topk(k=min_community_size, largest=True)
        for i in range(len(top_k_values)):
            if top_k_values[i][-1] >= threshold:
                top_val_large, top_idx_large = cos_scores[i].topk(k=sort_max_size, largest=True)
                while top_val_large[-1] > threshold and sort_max_size < len(embeddings):
                    sort_max_size = min(2 * sort_max_size, len(embeddings))
                    top_val_large, top_idx_large = cos_scores[i].topk(k=sort_max_size, largest=True)
                extracted.append(top_idx_large[top_val_large >= threshold].tolist())
    extracted = sorted(extracted, key=lambda x: len(x), reverse=True)
    unique, taken = [], set()
    for community in extracted:
        rest = [idx for idx in community if idx not in taken]
        if len(rest) >= min_community_size:
            unique.append(rest)
            taken.update(rest)
    return sorted(unique, key=lambda x: len(x), reverse=True)


def quantize_embeddings(embeddings, precision, ranges=None, calibration_embeddings=None):
    if precision.endswith("int8"):
        if ranges is None:
            source = calibration_embeddings if calibration_embeddings is not None else embeddings
            ranges = np.vstack((np.min(source, axis=0), np.max(source, axis=0)))
        starts = ranges[0, :]
        steps = (ranges[1, :] - ranges[0, :]) / 255
        if precision == "uint8":
            return ((embeddings - starts) / steps).astype(np.uint8)
        return ((embeddings - starts) / steps - 128).astype(np.int8)
    if precision == "binary":
        return (np.packbits(embeddings > 0).reshape(embeddings.shape[0], -1) - 128).astype(np.int8)
    if precision == "ubinary":
        return np.packbits(embeddings > 0).reshape(embeddings.shape[0], -1)
    raise ValueError(precision)


# ---------------------------------------------------------------- search and mining
corpus = f32(rng.normal(size=(40, 12)))
queries = f32(corpus[[3, 17, 25]] + rng.normal(size=(3, 12)) * 0.3)
search = {
    "queries": queries.tolist(),
    "corpus": corpus.tolist(),
    "top_k": 5,
    "hits": semantic_search(torch.tensor(queries), torch.tensor(corpus), top_k=5),
    "hits_chunked": semantic_search(torch.tensor(queries), torch.tensor(corpus), query_chunk_size=2, corpus_chunk_size=7, top_k=5),
}
assert [[h["corpus_id"] for h in r] for r in search["hits"]] == [[h["corpus_id"] for h in r] for r in search["hits_chunked"]]

mining_emb = f32(rng.normal(size=(15, 6)))
mining = {
    "embeddings": mining_emb.tolist(),
    "top_k": 3,
    "max_pairs": 12,
    "pairs": paraphrase_mining_embeddings(torch.tensor(mining_emb), query_chunk_size=4, corpus_chunk_size=6, top_k=3, max_pairs=12),
}

# ---------------------------------------------------------------- community detection: three tight groups and noise
centers = f32(rng.normal(size=(3, 10)))
groups = [centers[g] + rng.normal(size=(n, 10)) * 0.15 for g, n in enumerate([7, 5, 3])]
noise = rng.normal(size=(6, 10))
cluster_emb = f32(np.vstack(groups + [noise]))
order = rng.permutation(len(cluster_emb))
cluster_emb = cluster_emb[order]
communities = {
    "embeddings": cluster_emb.tolist(),
    "cases": [],
}
for threshold, min_size, batch in [(0.8, 3, 1024), (0.8, 4, 5), (0.95, 2, 8), (0.5, 1, 4)]:
    communities["cases"].append({
        "threshold": threshold, "min_community_size": min_size, "batch_size": batch,
        "communities": community_detection(torch.tensor(cluster_emb), threshold, min_size, batch),
    })

# ---------------------------------------------------------------- quantization
q_emb = f32(rng.normal(size=(6, 16)))
calib = f32(rng.normal(size=(50, 16)) * 1.5)
quantization = {
    "embeddings": q_emb.tolist(),
    "calibration": calib.tolist(),
    "int8": quantize_embeddings(q_emb, "int8").tolist(),
    "uint8": quantize_embeddings(q_emb, "uint8").tolist(),
    "int8_calibrated": quantize_embeddings(q_emb, "int8", calibration_embeddings=calib).tolist(),
    "uint8_ranges": quantize_embeddings(q_emb, "uint8", ranges=f32(np.vstack((np.full(16, -3.0), np.full(16, 3.0))))).tolist(),
    "binary": quantize_embeddings(q_emb, "binary").tolist(),
    "ubinary": quantize_embeddings(q_emb, "ubinary").tolist(),
}

# ---------------------------------------------------------------- PCA (plots.embeddingProjection)
pca_x = rng.normal(size=(30, 7)) @ np.diag([4.0, 2.5, 1.0, 0.5, 0.3, 0.2, 0.1]) @ np.linalg.qr(rng.normal(size=(7, 7)))[0]
pca_x = f32(pca_x).astype(np.float64)
centered = pca_x - pca_x.mean(axis=0)
cov = centered.T @ centered / (len(pca_x) - 1)
values, vectors = np.linalg.eigh(cov)
top = vectors[:, ::-1][:, :2]
for c in range(2):  # sign: the largest-magnitude loading is positive
    if top[np.argmax(np.abs(top[:, c])), c] < 0:
        top[:, c] *= -1
pca = {
    "x": pca_x.tolist(),
    "projection": (centered @ top).tolist(),
    "explained_variance_ratio": (values[::-1][:2] / values.sum()).tolist(),
}

fixture = {
    "generator": "test/reference/embedding-utils.py",
    "versions": {"numpy": np.__version__, "torch": torch.__version__},
    "semantic_search": search,
    "paraphrase_mining": mining,
    "community_detection": communities,
    "quantization": quantization,
    "pca": pca,
}
with open(os.path.join(HERE, "fixtures", "embedding-utils.json"), "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("wrote fixtures/embedding-utils.json")
