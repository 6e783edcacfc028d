#!/usr/bin/python3
"""Generate the reference ONNX models served by the serving container.

Trains two sklearn MLP classifiers on sklearn's bundled digits dataset (no
download) and writes each one as an ONNX graph built with onnx.helper, plus the
expected predictions on a held-out split:

  serving/models/<model>/1/model.onnx
  serving/reference-data/<model>.expected.json

Deterministic: fixed seeds for the split and for training, single-threaded
BLAS. Run with Debian's interpreter, which sees the apt packages:

  apt-get install -y python3-onnx python3-sklearn python3-numpy
  /usr/bin/python3 scripts/generate-reference-models.py
"""

import os

# Pin BLAS to one thread before numpy is imported: multi-threaded reductions
# may sum in a different order from run to run, and then the weights differ.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO_ROOT / "serving" / "models"
REFERENCE_DATA_DIR = REPO_ROOT / "serving" / "reference-data"

SEED = 20240611
TEST_SIZE = 450
VERSION = "1"
INPUT_NAME = "input"
OUTPUT_NAME = "probabilities"
# Digits pixels are integers 0..16. The graph takes them raw and scales them
# itself, so clients send the dataset's values unchanged.
PIXEL_SCALE = np.float32(1.0 / 16.0)
OPSET = 13
IR_VERSION = 7


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    hidden_layer_sizes: tuple
    max_iter: int


MODEL_SPECS = (
    ModelSpec(
        name="digits-mlp",
        description="Small MLP (64-64-10) on sklearn digits: the tabular reference model.",
        hidden_layer_sizes=(64,),
        max_iter=300,
    ),
    ModelSpec(
        name="heavy-mlp",
        description=(
            "Wide, deep MLP (64-1280x4-10) on sklearn digits: compute-heavy "
            "enough (>= 1 ms per sample at batch 1) to show dynamic batching."
        ),
        hidden_layer_sizes=(1280, 1280, 1280, 1280),
        max_iter=25,
    ),
)


def load_split():
    digits = load_digits()
    pixels = digits.data.astype(np.float32)
    return train_test_split(
        pixels, digits.target, test_size=TEST_SIZE, random_state=SEED, stratify=digits.target
    )


def train(spec, train_pixels, train_labels):
    classifier = MLPClassifier(
        hidden_layer_sizes=spec.hidden_layer_sizes,
        activation="relu",
        solver="adam",
        max_iter=spec.max_iter,
        random_state=SEED,
    )
    # The heavy model is deliberately trained for few epochs; it is still
    # accurate, and sklearn's "not converged" warning is expected.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        classifier.fit(train_pixels * PIXEL_SCALE, train_labels)
    return classifier


def to_onnx(spec, classifier):
    """Scale -> (MatMul -> Add -> Relu)* -> MatMul -> Add -> Softmax."""
    initializers = [numpy_helper.from_array(np.array([PIXEL_SCALE], dtype=np.float32), "pixel_scale")]
    nodes = [helper.make_node("Mul", [INPUT_NAME, "pixel_scale"], ["scaled"], name="scale_pixels")]
    previous = "scaled"
    last_layer = len(classifier.coefs_) - 1
    for layer, (weights, bias) in enumerate(zip(classifier.coefs_, classifier.intercepts_)):
        weight_name, bias_name = f"layer{layer}_weight", f"layer{layer}_bias"
        initializers.append(numpy_helper.from_array(weights.astype(np.float32), weight_name))
        initializers.append(numpy_helper.from_array(bias.astype(np.float32), bias_name))
        nodes.append(helper.make_node("MatMul", [previous, weight_name], [f"layer{layer}_matmul"], name=f"layer{layer}_matmul"))
        nodes.append(helper.make_node("Add", [f"layer{layer}_matmul", bias_name], [f"layer{layer}_logits"], name=f"layer{layer}_add"))
        previous = f"layer{layer}_logits"
        if layer < last_layer:
            nodes.append(helper.make_node("Relu", [previous], [f"layer{layer}_relu"], name=f"layer{layer}_relu"))
            previous = f"layer{layer}_relu"
    nodes.append(helper.make_node("Softmax", [previous], [OUTPUT_NAME], name="softmax", axis=-1))

    n_features = classifier.coefs_[0].shape[0]
    n_classes = classifier.coefs_[-1].shape[1]
    graph = helper.make_graph(
        nodes,
        spec.name.replace("-", "_"),
        inputs=[helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["batch", n_features])],
        outputs=[helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["batch", n_classes])],
        initializer=initializers,
    )
    model = helper.make_model(
        graph,
        producer_name="mlops-blueprint/scripts/generate-reference-models.py",
        producer_version=VERSION,
        doc_string=spec.description,
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = IR_VERSION
    model.model_version = int(VERSION)
    onnx.checker.check_model(model, full_check=True)
    return model


def forward_float32(model, pixels):
    """Evaluate the ONNX graph's arithmetic in float32 with numpy.

    A cross-check that the graph wiring reproduces sklearn before the file is
    committed; the jest test checks onnxruntime itself against the JSON.
    """
    weights = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    activations = pixels.astype(np.float32) * weights["pixel_scale"]
    layer = 0
    while f"layer{layer}_weight" in weights:
        activations = activations @ weights[f"layer{layer}_weight"] + weights[f"layer{layer}_bias"]
        layer += 1
        if f"layer{layer}_weight" in weights:
            activations = np.maximum(activations, 0)
    shifted = np.exp(activations - activations.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def write_expected(spec, classifier, test_pixels, test_labels):
    probabilities = classifier.predict_proba(test_pixels * PIXEL_SCALE)
    document = {
        "model": spec.name,
        "version": VERSION,
        "inputName": INPUT_NAME,
        "outputName": OUTPUT_NAME,
        "inputShape": [-1, int(test_pixels.shape[1])],
        "outputShape": [-1, int(probabilities.shape[1])],
        "split": {"dataset": "sklearn.datasets.load_digits", "testSize": TEST_SIZE, "seed": SEED, "stratified": True},
        "sklearnAccuracy": round(float((probabilities.argmax(axis=1) == test_labels).mean()), 6),
        "trueLabels": [int(label) for label in test_labels],
        "inputs": [[int(value) for value in row] for row in test_pixels],
        "expectedLabels": [int(label) for label in probabilities.argmax(axis=1)],
        "expectedProbabilities": [[float(f"{p:.8g}") for p in row] for row in probabilities],
    }
    path = REFERENCE_DATA_DIR / f"{spec.name}.expected.json"
    path.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    return document, path


def main():
    train_pixels, test_pixels, train_labels, test_labels = load_split()
    REFERENCE_DATA_DIR.mkdir(parents=True, exist_ok=True)
    for spec in MODEL_SPECS:
        classifier = train(spec, train_pixels, train_labels)
        model = to_onnx(spec, classifier)
        model_path = MODELS_DIR / spec.name / VERSION / "model.onnx"
        model_path.parent.mkdir(parents=True, exist_ok=True)
        onnx.save(model, str(model_path))

        document, expected_path = write_expected(spec, classifier, test_pixels, test_labels)
        sklearn_probabilities = np.array(document["expectedProbabilities"])
        graph_probabilities = forward_float32(model, test_pixels)
        label_mismatches = int((graph_probabilities.argmax(axis=1) != np.array(document["expectedLabels"])).sum())
        max_difference = float(np.abs(graph_probabilities - sklearn_probabilities).max())
        print(
            f"{spec.name}: accuracy {document['sklearnAccuracy']:.4f} on {TEST_SIZE} held-out rows, "
            f"{model_path.stat().st_size / 1e6:.2f} MB, float32 graph vs sklearn: "
            f"{label_mismatches} labels differ, max |dp| {max_difference:.2e}"
        )
        print(f"  wrote {model_path.relative_to(REPO_ROOT)} and {expected_path.relative_to(REPO_ROOT)}")
        if label_mismatches:
            raise SystemExit(f"{spec.name}: float32 graph disagrees with sklearn on {label_mismatches} labels")


if __name__ == "__main__":
    main()
