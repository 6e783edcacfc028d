"""PyTorch's own predictions from a checkpoint, to compare the exported ONNX against:
python -m trainer.predict <checkpoint.pt> <hidden units> < rows.json  ->  probabilities as JSON."""
import json
import sys

import numpy as np
import torch

from .features import FEATURES
from .train import ChurnModel, Probability


def main() -> int:
    checkpoint, hidden = sys.argv[1], int(sys.argv[2])
    model = ChurnModel(np.zeros(len(FEATURES), dtype=np.float32), np.ones(len(FEATURES), dtype=np.float32), hidden)
    model.load_state_dict(torch.load(checkpoint, weights_only=False)["model"])
    model.eval()
    rows = torch.tensor(json.load(sys.stdin), dtype=torch.float32)
    with torch.no_grad():
        print(json.dumps(Probability(model)(rows).squeeze(1).tolist()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
