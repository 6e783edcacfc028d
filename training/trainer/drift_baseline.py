"""The drift baseline (lib/drift/baseline.ts, formatVersion 1) of the training features."""
import datetime
import math

import numpy as np

FORMAT_VERSION = "1"


def feature_baseline(name: str, column: int, values: np.ndarray, bins: int = 10, sample_size: int = 10_000) -> dict:
    values = np.asarray(values, dtype=np.float64)
    finite = np.sort(values[np.isfinite(values)])
    n = finite.size
    quantiles = np.quantile(finite, [i / bins for i in range(1, bins)]) if bins > 1 else np.array([])
    edges = []
    for edge in quantiles.tolist():
        if not edges or edge > edges[-1]:
            edges.append(float(edge))
    counts = np.bincount(np.searchsorted(np.array(edges), finite, side="right"), minlength=len(edges) + 1)
    if n <= sample_size:
        sample = {"method": "all", "values": finite.tolist()}
    else:
        sample = {"method": "order-statistics", "values": [float(finite[math.floor((i + 0.5) * n / sample_size)]) for i in range(sample_size)]}
    return {
        "name": name,
        "column": column,
        "statistics": {"count": int(n), "missing": int(values.size - n), "mean": float(finite.mean()), "stddev": float(finite.std()), "min": float(finite[0]), "max": float(finite[-1])},
        "bins": {"edges": edges, "counts": [int(c) for c in counts]},
        "sample": sample,
    }


def drift_baseline(features: list, x: np.ndarray, source: str, model: str, input_tensor: str) -> dict:
    return {
        "formatVersion": FORMAT_VERSION,
        "model": model,
        "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "dataset": {"source": source, "rows": int(x.shape[0])},
        "inputTensor": input_tensor,
        "inputColumns": len(features),
        "features": [feature_baseline(name, column, x[:, column]) for column, name in enumerate(features)],
    }
