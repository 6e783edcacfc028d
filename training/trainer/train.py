"""Train the churn classifier: seeded, checkpoint every epoch, resume from the newest checkpoint, export ONNX,
evaluation report and drift baseline. Distributed (DDP) when started by torchrun with WORLD_SIZE > 1."""
import json
import os
import sys

import numpy as np
import torch
import torch.distributed as dist

from .drift_baseline import drift_baseline
from .features import FEATURES, customer_features
from .layout import Layout

INPUT_NAME = "input"
OUTPUT_NAME = "probability"
CHECKPOINT = "checkpoint.pt"


class ChurnModel(torch.nn.Module):
    """Standardisation is part of the model, so the exported ONNX takes raw features."""

    def __init__(self, mean: np.ndarray, std: np.ndarray, hidden: int):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.net = torch.nn.Sequential(torch.nn.Linear(len(mean), hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))

    def forward(self, x):
        """Logits; training and DDP call this."""
        return self.net((x - self.mean) / self.std)


class Probability(torch.nn.Module):
    """What is exported and served: the churn probability."""

    def __init__(self, model: ChurnModel):
        super().__init__()
        self.model = model

    def forward(self, x):
        return torch.sigmoid(self.model(x))


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties count half)."""
    positives, negatives = scores[labels == 1], scores[labels == 0]
    if positives.size == 0 or negatives.size == 0:
        return float("nan")
    greater = (positives[:, None] > negatives[None, :]).sum() + 0.5 * (positives[:, None] == negatives[None, :]).sum()
    return float(greater / (positives.size * negatives.size))


def split(n: int, fraction: float, seed: int):
    order = np.random.default_rng(seed).permutation(n)
    cut = int(round(n * (1 - fraction)))
    return order[:cut], order[cut:]


def evaluate(model, x, y) -> dict:
    with torch.no_grad():
        logits = model(torch.from_numpy(x)).squeeze(1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, torch.from_numpy(y)).item()
        scores = torch.sigmoid(logits).numpy()
    return {"validation:loss": loss, "validation:auc": auc(y, scores), "validation:accuracy": float(((scores >= 0.5) == (y == 1)).mean())}


def main() -> int:
    layout = Layout.from_environment()
    hp = layout.hyperparameters()
    epochs = int(hp.get("epochs", "20"))
    batch_size = int(hp.get("batch-size", "256"))
    learning_rate = float(hp.get("learning-rate", "0.01"))
    hidden = int(hp.get("hidden-units", "32"))
    validation_fraction = float(hp.get("validation-fraction", "0.2"))
    seed = int(hp.get("seed", "42"))
    pause = float(os.environ.get("TRAINER_PAUSE_AFTER_CHECKPOINT_SECONDS", "0"))

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)

    _, x, y = customer_features(layout.train_dir)
    train_index, validation_index = split(len(y), validation_fraction, seed)
    x_train, y_train, x_val, y_val = x[train_index], y[train_index], x[validation_index], y[validation_index]
    std = x_train.std(axis=0)
    model = ChurnModel(x_train.mean(axis=0), np.where(std > 0, std, 1.0), hidden)
    trained = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    optimizer = torch.optim.Adam(trained.parameters(), lr=learning_rate)

    os.makedirs(layout.checkpoint_dir, exist_ok=True)
    checkpoint_path = os.path.join(layout.checkpoint_dir, CHECKPOINT)
    start = 1
    if os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start = state["epoch"] + 1
        print(f"resuming from checkpoint after epoch {state['epoch']}", flush=True)

    shard = np.arange(len(y_train))[rank::world]
    metrics = {}
    for epoch in range(start, epochs + 1):
        order = shard[np.random.default_rng([seed, epoch]).permutation(len(shard))]
        total = 0.0
        for begin in range(0, len(order), batch_size):
            batch = order[begin : begin + batch_size]
            optimizer.zero_grad()
            logits = trained(torch.from_numpy(x_train[batch])).squeeze(1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, torch.from_numpy(y_train[batch]))
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        metrics = {"train:loss": total / max(len(order), 1), **evaluate(model, x_val, y_val)}
        if rank == 0:
            torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint_path + ".tmp")
            os.replace(checkpoint_path + ".tmp", checkpoint_path)
            print(f"epoch={epoch} " + " ".join(f"{name}={value:.6f}" for name, value in metrics.items()), flush=True)
        if pause > 0:
            import time

            time.sleep(pause)

    if rank == 0:
        write_outputs(layout, model, x_train, x_val, y_val, hp, metrics if metrics else evaluate(model, x_val, y_val))
    if world > 1:
        dist.destroy_process_group()
    return 0


def write_outputs(layout: Layout, model, x_train, x_val, y_val, hp: dict, final: dict) -> None:
    os.makedirs(layout.model_dir, exist_ok=True)
    model.eval()
    torch.onnx.export(
        Probability(model),
        (torch.from_numpy(x_val[:2]),),
        os.path.join(layout.model_dir, "model.onnx"),
        input_names=[INPUT_NAME],
        output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    with open(os.path.join(layout.model_dir, "config.json"), "w") as handle:
        json.dump({"maxBatchSize": 64, "maxQueueDelayMicros": 500}, handle)
    report = {"schemaVersion": "1", "metrics": {name: value for name, value in evaluate(model, x_val, y_val).items()}, "evaluationRows": int(len(y_val))}
    with open(os.path.join(layout.model_dir, "evaluation.json"), "w") as handle:
        json.dump(report, handle)
    with open(os.path.join(layout.model_dir, "drift-baseline.json"), "w") as handle:
        json.dump(drift_baseline(FEATURES, x_train, layout.train_dir, os.environ.get("MODEL_NAME", "churn-classifier"), INPUT_NAME), handle)


if __name__ == "__main__":
    sys.exit(main())
