"""Reference values for sdk/src/evaluation, from scipy and sklearn (Debian's python3 packages).

Run from the repository root:  /usr/bin/python3 test/reference/evaluation.py
Writes test/reference/fixtures/evaluation.json; test/sdk/evaluation/*.test.ts compare against it at 1e-6.

Inputs are fixed (seeded numpy draws rounded to float32, plus hand-made ties). Where sentence-transformers
computes something itself rather than through a library (the threshold search of BinaryClassificationEvaluator,
the ranking metrics of InformationRetrievalEvaluator), this file restates its formulas and cross-checks them
with sklearn where sklearn has the same quantity.
"""
import json
import math
import os

import numpy as np
from scipy.stats import pearsonr, spearmanr, rankdata
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    matthews_corrcoef,
    ndcg_score,
    precision_score,
    recall_score,
)
from sklearn.metrics.pairwise import paired_cosine_distances, paired_euclidean_distances, paired_manhattan_distances

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240501)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def tolist(a):
    return np.asarray(a, dtype=np.float64).tolist()


# ---------------------------------------------------------------- correlations (ties included)
correlation_cases = []
pairs = [
    ("random", f32(rng.normal(size=30)), f32(rng.normal(size=30))),
    ("ties_in_both", np.array([1, 2, 2, 3, 3, 3, 4, 5, 5, 0], float), np.array([0.5, 0.1, 0.1, 0.9, 0.3, 0.3, 0.8, 0.2, 0.2, 0.0])),
    ("integer_gold_scores", np.array([0, 1, 1, 2, 5, 5, 4, 3, 3, 3, 1, 0], float), f32(rng.uniform(-1, 1, size=12))),
    ("perfect_negative", np.arange(8, dtype=float), -np.arange(8, dtype=float) * 2.5),
]
for name, x, y in pairs:
    correlation_cases.append({
        "name": name,
        "x": tolist(x),
        "y": tolist(y),
        "pearson": float(pearsonr(x, y)[0]),
        "spearman": float(spearmanr(x, y)[0]),
        "rank_x": tolist(rankdata(x, method="average")),
    })

# ---------------------------------------------------------------- pairwise similarities (EmbeddingSimilarityEvaluator)
n, d = 24, 8
emb1 = f32(rng.normal(size=(n, d)))
emb2 = f32(emb1 * 0.6 + rng.normal(size=(n, d)) * 0.8)
gold = np.round(rng.uniform(0, 5, size=n) * 2) / 2  # half steps in [0, 5]: many ties, like STS
similarities = {
    "cosine": 1 - paired_cosine_distances(emb1, emb2),
    "dot": np.sum(emb1 * emb2, axis=-1),
    "euclidean": -paired_euclidean_distances(emb1, emb2),
    "manhattan": -paired_manhattan_distances(emb1, emb2),
}
embedding_similarity = {
    "embeddings1": tolist(emb1),
    "embeddings2": tolist(emb2),
    "gold": tolist(gold),
    "similarities": {k: tolist(v) for k, v in similarities.items()},
    "expected": {},
}
for fn, sims in similarities.items():
    embedding_similarity["expected"][f"pearson_{fn}"] = float(pearsonr(gold, sims)[0])
    embedding_similarity["expected"][f"spearman_{fn}"] = float(spearmanr(gold, sims)[0])
embedding_similarity["expected"]["pearson_max"] = max(v for k, v in embedding_similarity["expected"].items() if k.startswith("pearson_"))
embedding_similarity["expected"]["spearman_max"] = max(v for k, v in embedding_similarity["expected"].items() if k.startswith("spearman_"))


# ---------------------------------------------------------------- binary classification
def find_best_acc_and_threshold(scores, labels, high_score_more_similar):
    # BinaryClassificationEvaluator.find_best_acc_and_threshold
    rows = sorted(zip(scores, labels), key=lambda x: x[0], reverse=high_score_more_similar)
    max_acc, best_threshold = 0, -1
    positive_so_far, remaining_negatives = 0, int(np.sum(np.asarray(labels) == 0))
    for i in range(len(rows) - 1):
        if rows[i][1] == 1:
            positive_so_far += 1
        else:
            remaining_negatives -= 1
        acc = (positive_so_far + remaining_negatives) / len(labels)
        if acc > max_acc:
            max_acc, best_threshold = acc, (rows[i][0] + rows[i + 1][0]) / 2
    return max_acc, best_threshold


def find_best_f1_and_threshold(scores, labels, high_score_more_similar):
    # BinaryClassificationEvaluator.find_best_f1_and_threshold
    rows = sorted(zip(scores, labels), key=lambda x: x[0], reverse=high_score_more_similar)
    best_f1 = best_precision = best_recall = 0
    threshold = 0
    nextract = ncorrect = 0
    total = int(np.sum(labels))
    for i in range(len(rows) - 1):
        nextract += 1
        if rows[i][1] == 1:
            ncorrect += 1
        if ncorrect > 0:
            precision = ncorrect / nextract
            recall = ncorrect / total
            f1 = 2 * precision * recall / (precision + recall)
            if f1 > best_f1:
                best_f1, best_precision, best_recall = f1, precision, recall
                threshold = (rows[i][0] + rows[i + 1][0]) / 2
    return best_f1, best_precision, best_recall, threshold


def binary_metrics(labels, similarity, fn):
    # Distances for euclidean/manhattan, lower = more similar (sentence-transformers after PR #3886).
    is_distance = fn in ("euclidean", "manhattan")
    scores = -similarity if is_distance else similarity
    greater = not is_distance
    acc, acc_t = find_best_acc_and_threshold(scores, labels, greater)
    f1, p, r, f1_t = find_best_f1_and_threshold(scores, labels, greater)
    predicted = (scores >= f1_t) if greater else (scores <= f1_t)
    acc_pred = (scores >= acc_t) if greater else (scores <= acc_t)
    # The threshold search must agree with sklearn's metrics of its own predictions.
    assert abs(accuracy_score(labels, acc_pred) - acc) < 1e-12, (fn, acc)
    assert abs(f1_score(labels, predicted) - f1) < 1e-12, (fn, f1)
    assert abs(precision_score(labels, predicted) - p) < 1e-12
    assert abs(recall_score(labels, predicted) - r) < 1e-12
    return {
        "accuracy": acc, "accuracy_threshold": float(acc_t), "f1": f1, "f1_threshold": float(f1_t),
        "precision": p, "recall": r,
        "ap": float(average_precision_score(labels, similarity)),
        "mcc": float(matthews_corrcoef(labels, predicted)),
    }


bin_n = 40
bin_labels = (rng.uniform(size=bin_n) < 0.45).astype(int)
b1 = f32(rng.normal(size=(bin_n, d)))
b2 = f32(np.where(bin_labels[:, None] == 1, b1 * 0.8 + rng.normal(size=(bin_n, d)) * 0.7, rng.normal(size=(bin_n, d))))
bin_sims = {
    "cosine": 1 - paired_cosine_distances(b1, b2),
    "dot": np.sum(b1 * b2, axis=-1),
    "euclidean": -paired_euclidean_distances(b1, b2),
    "manhattan": -paired_manhattan_distances(b1, b2),
}
binary_cases = [{
    "name": "random_pairs",
    "labels": bin_labels.tolist(),
    "similarities": {k: tolist(v) for k, v in bin_sims.items()},
    "expected": {fn: binary_metrics(bin_labels, s, fn) for fn, s in bin_sims.items()},
}]
# Ties: tied scores with mixed labels (sklearn's AP groups them into one step).
tie_labels = np.array([1, 0, 1, 1, 0, 0, 1, 0, 0, 1])
tie_scores = np.array([0.9, 0.9, 0.7, 0.5, 0.5, 0.5, 0.3, 0.2, 0.2, 0.1])
binary_cases.append({
    "name": "tied_scores",
    "labels": tie_labels.tolist(),
    "similarities": {"cosine": tolist(tie_scores)},
    "expected": {"cosine": {
        "ap": float(average_precision_score(tie_labels, tie_scores)),
        "mcc": float(matthews_corrcoef(tie_labels, tie_scores >= find_best_f1_and_threshold(tie_scores, tie_labels, True)[3])),
    }},
})

average_precision_cases = [
    {"labels": tie_labels.tolist(), "scores": tolist(tie_scores), "ap": float(average_precision_score(tie_labels, tie_scores))},
    {"labels": [1, 1, 1], "scores": [0.1, 0.2, 0.3], "ap": float(average_precision_score([1, 1, 1], [0.1, 0.2, 0.3]))},
    {"labels": [0, 1, 0, 1], "scores": [0.5, 0.5, 0.5, 0.5], "ap": float(average_precision_score([0, 1, 0, 1], [0.5] * 4))},
]
mcc_cases = [
    {"labels": [1, 0, 1, 1, 0, 0, 1], "predicted": [1, 0, 0, 1, 1, 0, 1]},
    {"labels": [1, 1, 1, 0], "predicted": [1, 1, 1, 1]},  # undefined → 0
]
for c in mcc_cases:
    c["mcc"] = float(matthews_corrcoef(c["labels"], c["predicted"]))

# ---------------------------------------------------------------- triplets
pos = f32(rng.normal(size=20))
neg = f32(pos + rng.normal(size=20) * 0.8)
triplet = {"positive": tolist(pos), "negative": tolist(neg), "margins": [0.0, 0.25]}
triplet["accuracy"] = [float(np.mean(pos - neg > m)) for m in triplet["margins"]]


# ---------------------------------------------------------------- information retrieval
def dcg_at_k(relevances, k):
    return sum(relevances[i] / np.log2(i + 2) for i in range(min(len(relevances), k)))


def ir_metrics(score_matrix, corpus_ids, relevant, acc_k, pr_k, mrr_k, ndcg_k, map_k):
    """InformationRetrievalEvaluator.compute_metrics on the full ranking (ties: lower corpus index first)."""
    max_k = max(acc_k + pr_k + mrr_k + ndcg_k + map_k)
    out = {f"accuracy@{k}": 0.0 for k in acc_k}
    prec = {k: [] for k in pr_k}
    rec = {k: [] for k in pr_k}
    mrr = {k: 0.0 for k in mrr_k}
    ndcg = {k: [] for k in ndcg_k}
    ap = {k: [] for k in map_k}
    rankings = []
    for q, row in enumerate(score_matrix):
        order = sorted(range(len(row)), key=lambda j: (-row[j], j))[:max_k]
        top = [corpus_ids[j] for j in order]
        rankings.append(top)
        rel = relevant[q]
        for k in acc_k:
            if any(c in rel for c in top[:k]):
                out[f"accuracy@{k}"] += 1
        for k in pr_k:
            correct = sum(c in rel for c in top[:k])
            prec[k].append(correct / k)
            rec[k].append(correct / len(rel))
        for k in mrr_k:
            for rank, c in enumerate(top[:k]):
                if c in rel:
                    mrr[k] += 1.0 / (rank + 1)
                    break
        for k in ndcg_k:
            predicted = [1 if c in rel else 0 for c in top[:k]]
            ndcg[k].append(dcg_at_k(predicted, k) / dcg_at_k([1] * len(rel), k))
        for k in map_k:
            correct = 0
            s = 0.0
            for rank, c in enumerate(top[:k]):
                if c in rel:
                    correct += 1
                    s += correct / (rank + 1)
            ap[k].append(s / min(k, len(rel)))
    nq = len(score_matrix)
    for k in acc_k:
        out[f"accuracy@{k}"] /= nq
    for k in pr_k:
        out[f"precision@{k}"] = float(np.mean(prec[k]))
    for k in pr_k:
        out[f"recall@{k}"] = float(np.mean(rec[k]))
    for k in ndcg_k:
        out[f"ndcg@{k}"] = float(np.mean(ndcg[k]))
    for k in mrr_k:
        out[f"mrr@{k}"] = mrr[k] / nq
    for k in map_k:
        out[f"map@{k}"] = float(np.mean(ap[k]))
    return out, rankings


nq, nc = 6, 30
corpus_ids = [f"doc{j}" for j in range(nc)]
ir_scores = f32(rng.normal(size=(nq, nc)))
relevant = [set(corpus_ids[j] for j in rng.choice(nc, size=s, replace=False)) for s in [1, 2, 3, 1, 4, 2]]
# Make some relevant docs rank high so the metrics are not all near zero.
for q in range(nq):
    for c in list(relevant[q])[:1]:
        ir_scores[q, corpus_ids.index(c)] += 1.5
cut = dict(acc_k=[1, 3, 5, 10], pr_k=[1, 3, 5, 10], mrr_k=[10], ndcg_k=[10], map_k=[100])
ir_expected, ir_rankings = ir_metrics(ir_scores, corpus_ids, relevant, **cut)
# Cross-checks with sklearn on this tie-free matrix: ndcg@10 (binary relevance) and AP per query (all
# relevant docs are within the top 100 here, so MAP@100 is sklearn's mean AP).
truth = np.array([[1 if c in relevant[q] else 0 for c in corpus_ids] for q in range(nq)])
assert abs(ndcg_score(truth, ir_scores, k=10) - ir_expected["ndcg@10"]) < 1e-12
assert abs(np.mean([average_precision_score(truth[q], ir_scores[q]) for q in range(nq)]) - ir_expected["map@100"]) < 1e-12

# A second case with ties and small cutoffs (k below |relevant| for MAP).
tie_matrix = np.array([[0.9, 0.5, 0.5, 0.5, 0.1], [0.2, 0.2, 0.8, 0.2, 0.8]])
tie_relevant = [{"b", "d"}, {"a", "e", "c"}]
tie_cut = dict(acc_k=[1, 2], pr_k=[1, 2, 4], mrr_k=[1, 3], ndcg_k=[2, 5], map_k=[2, 5])
tie_expected, tie_rankings = ir_metrics(tie_matrix, ["a", "b", "c", "d", "e"], tie_relevant, **tie_cut)

information_retrieval = [
    {"name": "random", "corpus_ids": corpus_ids, "scores": tolist(ir_scores), "relevant": [sorted(r) for r in relevant],
     "cutoffs": cut, "rankings": ir_rankings, "expected": ir_expected},
    {"name": "ties", "corpus_ids": ["a", "b", "c", "d", "e"], "scores": tolist(tie_matrix), "relevant": [sorted(r) for r in tie_relevant],
     "cutoffs": tie_cut, "rankings": tie_rankings, "expected": tie_expected},
]

# ---------------------------------------------------------------- MSE
mse_a = f32(rng.normal(size=(5, 4)))
mse_b = f32(rng.normal(size=(5, 4)))
mse = {"a": tolist(mse_a), "b": tolist(mse_b), "negative_mse": float(-np.mean((mse_a - mse_b) ** 2) * 100)}

fixture = {
    "generator": "test/reference/evaluation.py",
    "versions": {"numpy": np.__version__, "scipy": __import__("scipy").__version__, "sklearn": __import__("sklearn").__version__},
    "correlations": correlation_cases,
    "embedding_similarity": embedding_similarity,
    "binary_classification": binary_cases,
    "average_precision": average_precision_cases,
    "mcc": mcc_cases,
    "triplet": triplet,
    "information_retrieval": information_retrieval,
    "mse": mse,
}
for case in fixture["correlations"]:
    assert all(math.isfinite(v) for v in (case["pearson"], case["spearman"]))
os.makedirs(os.path.join(HERE, "fixtures"), exist_ok=True)
with open(os.path.join(HERE, "fixtures", "evaluation.json"), "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("wrote fixtures/evaluation.json")
