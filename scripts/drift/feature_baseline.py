"""The drift baseline of one feature, in the format of lib/drift/baseline.ts (version 1), with numpy only.

The reference trainer builds its drift-baseline.json with this function; test/integration/scripts/drift-baseline.test.ts
checks that it writes what `npm run drift:baseline` writes for the same data. See docs/drift.md.
"""
import numpy as np


def feature_baseline(name, column, values, bins=10, sample_size=10_000):
    values = np.asarray(values, dtype=np.float64)
    finite = np.sort(values[np.isfinite(values)])
    n = len(finite)
    edges = []
    for q in np.quantile(finite, np.arange(1, bins) / bins):  # method="linear", numpy's default
        if not edges or q > edges[-1]:
            edges.append(float(q))
    counts = np.bincount(np.searchsorted(edges, finite, side="right"), minlength=len(edges) + 1)
    if n <= sample_size:
        sample = {"method": "all", "values": finite.tolist()}
    else:
        index = np.floor((np.arange(sample_size) + 0.5) * n / sample_size).astype(np.int64)
        sample = {"method": "order-statistics", "values": finite[index].tolist()}
    return {
        "name": name,
        "column": column,
        "statistics": {
            "count": int(n),
            "missing": int(len(values) - n),
            "mean": float(finite.mean()),
            "stddev": float(finite.std()),
            "min": float(finite[0]),
            "max": float(finite[-1]),
        },
        "bins": {"edges": edges, "counts": [int(c) for c in counts]},
        "sample": sample,
    }


if __name__ == "__main__":
    # stdin: {"columns": [{"name", "column", "values"}], "bins", "sampleSize"} -> stdout: the features as JSON
    import json
    import sys

    request = json.load(sys.stdin)
    features = [
        feature_baseline(c["name"], c["column"], [np.nan if v is None else v for v in c["values"]], request["bins"], request["sampleSize"])
        for c in request["columns"]
    ]
    json.dump(features, sys.stdout)
