#!/usr/bin/python3
"""Writes test/unit/lib/drift/ks-reference-values.json: two-sample KS statistics computed by scipy.

Run with Debian's Python (`/usr/bin/python3`, package python3-scipy):
    /usr/bin/python3 scripts/drift-reference-values.py
Each case holds the reference values, the captured values and scipy's `ks_2samp(reference_sample, captured)`, where
the reference sample follows the baseline format (docs/drift.md): every value when there are at most `sample_size`,
else `sample_size` evenly spaced order statistics of the sorted values.
"""
import json
import os

import numpy as np
import scipy
from scipy.stats import ks_2samp

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "unit", "lib", "drift", "ks-reference-values.json")


def reference_sample(values, size):
    ordered = np.sort(values)
    n = len(ordered)
    if n <= size:
        return ordered
    return ordered[np.floor((np.arange(size) + 0.5) * n / size).astype(np.int64)]


def case(name, reference, captured, sample_size=10_000):
    reference = np.asarray(reference, dtype=np.float64)
    captured = np.asarray(captured, dtype=np.float64)
    sample = reference_sample(reference, sample_size)
    return {
        "name": name,
        "sampleSize": sample_size,
        "reference": reference.round(6).tolist(),
        "captured": captured.round(6).tolist(),
        # Computed on the rounded values, exactly what the test reads back.
        "ksStatistic": float(ks_2samp(reference_sample(reference.round(6), sample_size), captured.round(6)).statistic),
    }


def main():
    rng = np.random.default_rng(20261129)
    cases = [
        case("same distribution, normal", rng.normal(0, 1, 800), rng.normal(0, 1, 600)),
        case("mean shift of 0.5 sd", rng.normal(0, 1, 800), rng.normal(0.5, 1, 700)),
        case("variance doubled", rng.normal(5, 1, 500), rng.normal(5, 2, 500)),
        case("integer values with many ties", rng.integers(0, 6, 900), rng.integers(1, 7, 400)),
        case("binary feature, rate 0.3 vs 0.45", rng.binomial(1, 0.3, 1000), rng.binomial(1, 0.45, 1000)),
        case("tiny samples", [1.0, 2.0, 3.0], [2.5, 3.5]),
        case("disjoint supports", rng.uniform(0, 1, 50), rng.uniform(2, 3, 70)),
        case("skewed lognormal vs scaled", rng.lognormal(0, 1, 1200), rng.lognormal(0.2, 1, 900)),
        case("order-statistics sample of 200 from 3000", rng.normal(0, 1, 3000), rng.normal(0.3, 1.2, 800), sample_size=200),
        case("order-statistics sample with ties", rng.integers(0, 20, 2500), rng.integers(2, 22, 600), sample_size=150),
    ]
    with open(OUT, "w") as out:
        json.dump({"generator": f"scripts/drift-reference-values.py, scipy {scipy.__version__}, numpy {np.__version__}", "cases": cases}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
