"""scikit-learn peers, one mode per process so each is timed the way every model is (sklearn.ts).

  tune  FIT.jsonl VAL.jsonl KIND multi|single AT_LEAST_ONE  -> prints [{"C":..,"accuracy":..}] on VAL
  train TRAIN.jsonl KIND C MODEL_OUT multi|single           -> fits, pickles; prints {"fitSeconds":..}
  predict MODEL TEXTS.jsonl PRED_OUT AT_LEAST_ONE           -> one JSON label list per text
  latency MODEL TEXTS.jsonl N                               -> prints {"p50":..,"p99":..} in microseconds

KIND: svm (TF-IDF word 1-2-grams + LinearSVC), svm_char (word 1-2-grams + char_wb 2-5-grams +
LinearSVC), lr (word 1-2-grams + LogisticRegression). TEXTS.jsonl: one JSON string per line.
Multi-label decoding (the rule every model gets): every label whose score clears the model's cut
(decision value > 0 for an SVM, probability >= 0.5 for LR), else the top label when AT_LEAST_ONE is 1.
"""
import os

# Every model in the benchmark gets one core; BLAS would otherwise spread lbfgs over all of them.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import json
import pickle
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

# The same small grid for every dataset, chosen on its validation split.
GRID = {"svm": [0.1, 0.3, 1.0, 3.0], "svm_char": [0.1, 0.3, 1.0, 3.0], "lr": [1.0, 10.0, 100.0]}


def read_rows(path):
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["labels"] if "labels" in row else [row["label"]])
    return texts, labels


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build(kind, c, multilabel):
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    if kind == "svm_char":
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        features = make_union(word, char)
    else:
        features = word
    if kind == "lr":
        clf = LogisticRegression(C=c, max_iter=1000)
    else:
        clf = LinearSVC(C=c)
    return make_pipeline(features, OneVsRestClassifier(clf) if multilabel else clf)


def fit(kind, c, texts, labels, multilabel):
    mlb = MultiLabelBinarizer() if multilabel else None
    y = mlb.fit_transform(labels) if multilabel else [ls[0] for ls in labels]
    model = build(kind, c, multilabel)
    model.fit(texts, y)
    return {"model": model, "mlb": mlb, "kind": kind}


def predict(bundle, texts, at_least_one):
    model, mlb = bundle["model"], bundle["mlb"]
    if mlb is None:
        return [[p] for p in model.predict(texts)]
    if bundle["kind"] == "lr":
        scores, cut = model.predict_proba(texts), 0.5
    else:
        scores, cut = model.decision_function(texts), 0.0
    out = []
    for row in np.asarray(scores):
        picked = [mlb.classes_[k] for k in np.flatnonzero(row >= cut if bundle["kind"] == "lr" else row > cut)]
        if not picked and at_least_one:
            picked = [mlb.classes_[int(np.argmax(row))]]
        out.append([str(x) for x in picked])
    return out


def exact(pred, gold):
    return sum(1 for p, g in zip(pred, gold) if sorted(p) == sorted(g)) / max(1, len(gold))


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "tune":
        fit_path, val_path, kind, multi, at_least_one = args
        multilabel = multi == "multi"
        fx, fy = read_rows(fit_path)
        vx, vy = read_rows(val_path)
        scores = []
        for c in GRID[kind]:
            bundle = fit(kind, c, fx, fy, multilabel)
            scores.append({"C": c, "accuracy": exact(predict(bundle, vx, at_least_one == "1"), vy)})
        print(json.dumps({"sklearn": sklearn.__version__, "scores": scores}))
    elif mode == "train":
        train_path, kind, c, model_out, multi = args
        x, y = read_rows(train_path)
        t0 = time.perf_counter()
        bundle = fit(kind, float(c), x, y, multi == "multi")
        fit_seconds = time.perf_counter() - t0
        with open(model_out, "wb") as f:
            pickle.dump(bundle, f, protocol=pickle.HIGHEST_PROTOCOL)
        print(json.dumps({"fitSeconds": fit_seconds}))
    elif mode == "predict":
        model_path, texts_path, pred_out, at_least_one = args
        with open(model_path, "rb") as f:
            bundle = pickle.load(f)
        preds = predict(bundle, read_texts(texts_path), at_least_one == "1")
        with open(pred_out, "w", encoding="utf-8") as f:
            for labels in preds:
                f.write(json.dumps(labels) + "\n")
    elif mode == "latency":
        model_path, texts_path, n = args
        with open(model_path, "rb") as f:
            bundle = pickle.load(f)
        sample = read_texts(texts_path)[: int(n)]
        for text in sample[:20]:
            bundle["model"].predict([text])  # warm-up: first calls pay for lazy imports and allocator growth
        times = []
        for text in sample:
            t = time.perf_counter_ns()
            bundle["model"].predict([text])
            times.append((time.perf_counter_ns() - t) / 1000)
        times.sort()
        pct = lambda q: times[min(len(times) - 1, int(q * len(times)))]
        print(json.dumps({"p50": pct(0.5), "p99": pct(0.99), "mean": sum(times) / len(times)}))
    else:
        sys.exit(f"sklearn_peer.py: unknown mode {mode}")


if __name__ == "__main__":
    main()
