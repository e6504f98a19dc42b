"""The server a user would otherwise write: FastAPI + uvicorn around a scikit-learn TF-IDF + LinearSVC
pipeline, with the same request and response shape as `apprentice serve`.

  fastapi_peer.py train TRAIN.jsonl MODEL.pkl     fit the pipeline, pickle it
  MODEL_PKL=MODEL.pkl uvicorn fastapi_peer:app    serve it (the bench passes --workers)

Written the way FastAPI's docs suggest (pydantic request model, limits in the model), with
`async def` so no thread-pool hop is added per request: the model call is short, and this is the
faster of the two ways, so the comparison does not flatter Apprentice.
"""
import json
import os
import pickle
import sys
from typing import List, Optional

# One core per worker process; BLAS threads would fight the other worker for the same cores.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np


def train(train_path, out_path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    texts, labels = [], []
    with open(train_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["labels"][0] if "labels" in row else row["label"])
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LinearSVC(C=1.0))
    model.fit(texts, labels)
    with open(out_path, "wb") as f:
        pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__" and sys.argv[1:2] == ["train"]:
    train(sys.argv[2], sys.argv[3])
    sys.exit(0)

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, conlist, constr

MAX_BATCH = 256
MAX_TEXT_CHARS = 10_000

with open(os.environ["MODEL_PKL"], "rb") as f:
    model = pickle.load(f)
classes = [str(c) for c in model.classes_]
NAME = os.environ.get("MODEL_NAME", "banking77")

app = FastAPI()


class PredictRequest(BaseModel):
    texts: conlist(constr(max_length=MAX_TEXT_CHARS), min_items=1, max_items=MAX_BATCH)
    top_k: Optional[int] = None


class Score(BaseModel):
    label: str
    score: float


class Prediction(BaseModel):
    labels: List[str]
    scores: List[Score]


class PredictResponse(BaseModel):
    predictions: List[Prediction]


@app.get("/healthz")
async def healthz():
    return {"status": "ok"}


@app.post("/v1/models/{name}/predict", response_model=PredictResponse)
async def predict(name: str, req: PredictRequest):
    if name != NAME:
        raise HTTPException(status_code=404, detail=f"no model named {name!r}")
    k = min(req.top_k or 5, len(classes))
    margins = model.decision_function(req.texts)
    # LinearSVC has no probabilities: a softmax over its margins gives scores that sum to 1.
    z = np.exp(margins - margins.max(axis=1, keepdims=True))
    probs = z / z.sum(axis=1, keepdims=True)
    top = np.argsort(-probs, axis=1)[:, :k]
    return {
        "predictions": [
            {
                "labels": [classes[row[0]]],
                "scores": [{"label": classes[j], "score": round(float(p[j]), 6)} for j in row],
            }
            for row, p in zip(top, probs)
        ]
    }
