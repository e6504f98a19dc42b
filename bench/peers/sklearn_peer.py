"""TF-IDF (1,2)-grams + LinearSVC or LogisticRegression, measured the way the student is.

Usage: sklearn_peer.py TRAIN.jsonl TEST.jsonl {svm,lr} PRED_OUT.jsonl LATENCY_N THROUGHPUT_LINES [--multilabel]
Prints one JSON line of measurements; writes one JSON label list per test row to PRED_OUT so the
caller scores every model with the same code.
"""
import os

# Every model in the benchmark gets one core; BLAS would otherwise spread lbfgs over all of them.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import json
import pickle
import resource
import sys
import tempfile
import time

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC


def read_jsonl(path):
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["labels"] if "labels" in row else [row["label"]])
    return texts, labels


def classifier(kind, multilabel):
    if kind == "svm":
        clf = LinearSVC(C=1.0)
    else:
        # C=10: TF-IDF features are small-valued, and the default C=1 underfits them badly.
        clf = LogisticRegression(C=10.0, max_iter=1000)
    return OneVsRestClassifier(clf) if multilabel else clf


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    train_path, test_path, kind, pred_out, latency_n, throughput_lines = sys.argv[1:7]
    multilabel = "--multilabel" in sys.argv[7:]
    train_x, train_y = read_jsonl(train_path)
    test_x, _ = read_jsonl(test_path)

    mlb = MultiLabelBinarizer() if multilabel else None
    y = mlb.fit_transform(train_y) if multilabel else [ls[0] for ls in train_y]
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), classifier(kind, multilabel))

    t0 = time.perf_counter()
    model.fit(train_x, y)
    fit_seconds = time.perf_counter() - t0
    # ru_maxrss is KiB on Linux; taken right after fit so it is the training peak, data loading included.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def decode(pred):
        return [list(ls) for ls in mlb.inverse_transform(pred)] if multilabel else [[p] for p in pred]

    with open(pred_out, "w", encoding="utf-8") as f:
        for labels in decode(model.predict(test_x)):
            f.write(json.dumps(labels) + "\n")

    sample = test_x[: int(latency_n)]
    for text in sample[:20]:
        model.predict([text])  # warm-up: first calls pay for lazy imports and allocator growth
    times = []
    for text in sample:
        t = time.perf_counter_ns()
        model.predict([text])
        times.append((time.perf_counter_ns() - t) / 1000)
    times.sort()

    # The test texts repeated whole to at least THROUGHPUT_LINES, as for every model.
    many = test_x * max(1, -(-int(throughput_lines) // max(1, len(test_x))))
    t0 = time.perf_counter()
    model.predict(many)
    batch_seconds = time.perf_counter() - t0

    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as f:
        pickle.dump({"model": model, "mlb": mlb}, f, protocol=pickle.HIGHEST_PROTOCOL)
        model_path = f.name
    model_bytes = os.path.getsize(model_path)
    os.unlink(model_path)

    print(json.dumps({
        "sklearn": sklearn.__version__,
        "trainSeconds": fit_seconds,
        "peakMB": peak_mb,
        "predictPerSecond": len(many) / batch_seconds,
        "latencyP50Micros": percentile(times, 0.5) if times else None,
        "latencyP99Micros": percentile(times, 0.99) if times else None,
        "latencyMeanMicros": sum(times) / len(times) if times else None,
        "modelBytes": model_bytes,
    }))


if __name__ == "__main__":
    main()
