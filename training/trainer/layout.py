"""SageMaker's training container layout, every path overridable (tests run in a temp dir).

SM_ROOT re-roots /opt/ml; SM_CHANNEL_TRAIN, SM_MODEL_DIR, SM_CHECKPOINT_DIR, SM_HP_FILE, SM_RESOURCE_CONFIG override
one path each, as SageMaker's own SM_* variables do.
"""
import json
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    train_dir: str
    model_dir: str
    checkpoint_dir: str
    hyperparameters_file: str
    resource_config_file: str

    @staticmethod
    def from_environment(env=os.environ) -> "Layout":
        root = env.get("SM_ROOT", "/opt/ml")
        return Layout(
            train_dir=env.get("SM_CHANNEL_TRAIN", os.path.join(root, "input", "data", "train")),
            model_dir=env.get("SM_MODEL_DIR", os.path.join(root, "model")),
            checkpoint_dir=env.get("SM_CHECKPOINT_DIR", os.path.join(root, "checkpoints")),
            hyperparameters_file=env.get("SM_HP_FILE", os.path.join(root, "input", "config", "hyperparameters.json")),
            resource_config_file=env.get("SM_RESOURCE_CONFIG", os.path.join(root, "input", "config", "resourceconfig.json")),
        )

    def hyperparameters(self) -> dict:
        if not os.path.exists(self.hyperparameters_file):
            return {}
        with open(self.hyperparameters_file) as handle:
            return {key: str(value) for key, value in json.load(handle).items()}

    def hosts(self) -> tuple:
        """(current host, all hosts) from resourceconfig.json; one local host when absent."""
        if not os.path.exists(self.resource_config_file):
            return "algo-1", ["algo-1"]
        with open(self.resource_config_file) as handle:
            config = json.load(handle)
        return config["current_host"], list(config["hosts"])
